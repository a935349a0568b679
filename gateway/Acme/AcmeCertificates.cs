using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// What the web port serves from ACME: the issued certificate for each name (loaded from the cluster by
/// <see cref="AcmeCertificateManager"/>), and the TLS-ALPN-01 challenge certificate for a name whose validation is
/// pending, wherever the order was placed: every proxy reads the key authorization from the name's grain.
/// </summary>
internal sealed partial class AcmeCertificates(GatewayOptions options, IGrainFactory grains, ILogger<AcmeCertificates> logger)
{
    private readonly ConcurrentDictionary<string, Served> _served = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Name, string KeyAuthorization), X509Certificate2> _challenges = new();
    private volatile string[] _publicHosts = [.. options.Acme?.Names ?? []];

    /// <summary>The issued certificate for the SNI name with its chain, or null (the caller falls back to its own).</summary>
    public SslStreamCertificateContext? Find(string? serverName) =>
        serverName is not null && _served.TryGetValue(serverName, out var served) ? served.Context : null;

    /// <summary>The expiry of the certificate served for a name, if any.</summary>
    public DateTimeOffset? Expiry(string name) => _served.TryGetValue(name, out var served) ? served.Certificate.NotAfter : null;

    /// <summary>Serves <paramref name="certificate"/> from the next handshake on, unless it is the one served already.</summary>
    public bool Update(AcmeCertificate certificate)
    {
        if (_served.TryGetValue(certificate.Name, out var current) && current.Certificate.ChainPem == certificate.ChainPem)
        {
            return false;
        }

        var all = new X509Certificate2Collection();
        all.ImportFromPem(certificate.ChainPem);
        using var withKey = X509Certificate2.CreateFromPem(certificate.ChainPem, certificate.KeyPem);
        // Re-import so SslStream on Linux gets a key that is not tied to an ephemeral PEM import.
        var leaf = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var intermediates = new X509Certificate2Collection();
        foreach (var c in all.Skip(1))
        {
            intermediates.Add(c);
        }

        _served[certificate.Name] = new Served(certificate, SslStreamCertificateContext.Create(leaf, intermediates, offline: true));
        return true;
    }

    /// <summary>The names a challenge may be answered for: the public hosts and their subdomains (applications).</summary>
    public void SetPublicHosts(IEnumerable<string> names) => _publicHosts = [.. names];

    /// <summary>The challenge certificate for a handshake that offered <c>acme-tls/1</c>, or null when no validation is pending for the name.</summary>
    public async ValueTask<X509Certificate2?> ChallengeAsync(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName) || !OurName(serverName))
        {
            return null;
        }

        var name = serverName.ToLowerInvariant();
        var keyAuthorization = await grains.GetGrain<IAcmeCertificateGrain>(name).GetChallenge();
        if (keyAuthorization is null)
        {
            return null;
        }

        if (_challenges.Count > 64)
        {
            _challenges.Clear();
        }

        LogAnswering(logger, name);
        return _challenges.GetOrAdd((name, keyAuthorization), k => TlsAlpnChallenge.Certificate(k.Name, k.KeyAuthorization));
    }

    /// <summary>Only names under the configured hosts reach a grain, so a client cannot make the proxy look up arbitrary names.</summary>
    private bool OurName(string serverName) => _publicHosts.Any(h =>
        serverName.Equals(h, StringComparison.OrdinalIgnoreCase)
        || (serverName.EndsWith("." + h, StringComparison.OrdinalIgnoreCase) && serverName.IndexOf('.', StringComparison.Ordinal) == serverName.Length - h.Length - 1));

    private sealed record Served(AcmeCertificate Certificate, SslStreamCertificateContext Context);
}
