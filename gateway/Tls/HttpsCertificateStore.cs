using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Tls;

/// <summary>
/// The web port's certificates. Files are checked for changes on a handshake at most once a second, so a renewal
/// that replaces the PEM files (certbot, cert-manager) is served from the next connection on, without a restart.
/// A half-written pair that does not load keeps the previous certificate.
/// </summary>
internal sealed partial class HttpsCertificateStore
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private readonly IReadOnlyList<HttpsKeyPair> _pairs;
    private readonly ILogger<HttpsCertificateStore> _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Loaded[] _loaded;
    private DateTimeOffset _nextCheck;

    public HttpsCertificateStore(GatewayOptions options, ILogger<HttpsCertificateStore> logger)
        : this(options, logger, TimeProvider.System)
    {
    }

    internal HttpsCertificateStore(GatewayOptions options, ILogger<HttpsCertificateStore> logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        _pairs = options.HttpsKeyPairs.Count > 0
            ? options.HttpsKeyPairs
            : [SelfSignedCertificate.LoadOrCreate(options.DataDir, options.HostNames)];
        // Fail at start, with the file named, rather than on the first client.
        _loaded = [.. _pairs.Select(p => Load(p) ?? throw new InvalidOperationException(
            $"proxy_service.https_keypairs: cannot load the key pair {p.CertFile} / {p.KeyFile}"))];
        _nextCheck = time.GetUtcNow() + CheckInterval;
    }

    /// <summary>The certificate for a handshake: the first whose names match the SNI host, else the first.</summary>
    public X509Certificate2 Select(string? serverName)
    {
        var loaded = Current();
        if (!string.IsNullOrEmpty(serverName))
        {
            foreach (var entry in loaded)
            {
                if (entry.Certificate.MatchesHostname(serverName))
                {
                    return entry.Certificate;
                }
            }
        }

        return loaded[0].Certificate;
    }

    private Loaded[] Current()
    {
        var now = _time.GetUtcNow();
        if (now < _nextCheck)
        {
            return _loaded;
        }

        lock (_gate)
        {
            if (now < _nextCheck)
            {
                return _loaded;
            }

            _nextCheck = now + CheckInterval;
            var next = (Loaded[])_loaded.Clone();
            for (var i = 0; i < _pairs.Count; i++)
            {
                if (Stamp(_pairs[i]) == next[i].Stamp)
                {
                    continue;
                }

                if (Load(_pairs[i]) is { } reloaded)
                {
                    next[i] = reloaded;
                    LogReloaded(_logger, _pairs[i].CertFile, reloaded.Certificate.NotAfter);
                }
                else
                {
                    LogReloadFailed(_logger, _pairs[i].CertFile);
                }
            }

            _loaded = next;
            return next;
        }
    }

    private static Loaded? Load(HttpsKeyPair pair)
    {
        try
        {
            var stamp = Stamp(pair);
            using var pem = X509Certificate2.CreateFromPemFile(pair.CertFile, pair.KeyFile);
            // Re-import so SslStream on Linux gets a certificate whose key is not tied to an ephemeral PEM import.
            var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            return new Loaded(certificate, stamp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static (DateTime, long, DateTime, long) Stamp(HttpsKeyPair pair)
    {
        var cert = new FileInfo(pair.CertFile);
        var key = new FileInfo(pair.KeyFile);
        return (cert.Exists ? cert.LastWriteTimeUtc : default, cert.Exists ? cert.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }

    private sealed record Loaded(X509Certificate2 Certificate, (DateTime, long, DateTime, long) Stamp);
}
