namespace Teleport.Orleans.Configuration;

/// <summary>proxy_service.acme: fetch the web certificate from Let's Encrypt (TLS-ALPN-01 on the web port; every proxy of the cluster serves the same certificates).</summary>
public sealed class AcmeConfig
{
    /// <summary>enabled: default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>email: the ACME account contact.</summary>
    public string? Email { get; init; }

    /// <summary>uri: the ACME directory; Let's Encrypt production when null.</summary>
    public string? Uri { get; init; }
}
