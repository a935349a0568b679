using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Tls;

/// <summary>
/// The web port's certificate when no https_keypairs are configured, kept in the data dir across restarts. It names
/// each host name and <c>*.host</c>, so apps at <c>NAME.host</c> are served under it; a certificate from an older
/// release without the wildcard names is made again.
/// </summary>
internal static class SelfSignedCertificate
{
    public static HttpsKeyPair LoadOrCreate(string dataDir, IReadOnlyList<string> hostNames)
    {
        var keyFile = Path.Combine(dataDir, "webproxy_key.pem");
        var certFile = Path.Combine(dataDir, "webproxy_cert.pem");
        if (!File.Exists(keyFile) || !File.Exists(certFile) || !ServesApps(certFile, hostNames))
        {
            Directory.CreateDirectory(dataDir);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={hostNames.FirstOrDefault() ?? "localhost"}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            foreach (var name in hostNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (System.Net.IPAddress.TryParse(name, out var ip))
                {
                    names.AddIpAddress(ip);
                }
                else
                {
                    names.AddDnsName(name);
                    // Apps are served at NAME.<host> on the same port, chosen by SNI.
                    names.AddDnsName($"*.{name}");
                }
            }

            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(certFile, certificate.ExportCertificatePem());
        }

        return new HttpsKeyPair(keyFile, certFile);
    }

    private static bool ServesApps(string certFile, IReadOnlyList<string> hostNames)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certFile));
            return hostNames.Where(h => !System.Net.IPAddress.TryParse(h, out _)).All(h => certificate.MatchesHostname($"app.{h}"));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
