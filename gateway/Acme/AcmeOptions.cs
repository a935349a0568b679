namespace Teleport.Orleans.Gateway.Acme;

/// <summary>proxy_service.acme when enabled: where to order certificates and for which configured names.</summary>
public sealed record AcmeOptions
{
    /// <summary>Let's Encrypt's production directory, Teleport's default when acme.uri is not set.</summary>
    public static readonly Uri LetsEncrypt = new("https://acme-v02.api.letsencrypt.org/directory");

    /// <summary>acme.uri: the ACME directory.</summary>
    public Uri DirectoryUri { get; init; } = LetsEncrypt;

    /// <summary>acme.email: the account's contact, optional.</summary>
    public string? Email { get; init; }

    /// <summary>The public_addr host names (DNS names; the configuration refuses IP addresses).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>How often a proxy looks for new or renewed certificates in the cluster and for names that need one.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait after a failed order; each further failure doubles it up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Renew once this fraction of a certificate's lifetime has passed (Let's Encrypt's advice: 2/3).</summary>
    public double RenewAt { get; init; } = 2.0 / 3;

    /// <summary>PEM roots that replace the system's for the ACME server's own TLS certificate (a private or test server).</summary>
    public string? CaBundleFile { get; init; }
}
