using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>proxy_service.https_keypairs: the web port serves the configured certificate and a renewal without restart.</summary>
public sealed class HttpsKeyPairsTests
{
    [Fact]
    public async Task Renewed_certificate_files_are_served_from_the_next_connection_without_restart()
    {
        var certs = Directory.CreateTempSubdirectory("gateway-certs-");
        try
        {
            var keyFile = Path.Combine(certs.FullName, "proxy.key");
            var certFile = Path.Combine(certs.FullName, "proxy.crt");
            WritePair(keyFile, certFile, "first.example.com");
            await using var server = await TeleportServer.StartWithProxyAsync(new ProxySettings
            {
                Extra = $"  https_keypairs:\n  - key_file: {keyFile}\n    cert_file: {certFile}\n",
            });
            using var web = WebClient.For(server.Proxy!.WebPort, out var seen);
            (await web.GetAsync("/webapi/ping")).EnsureSuccessStatusCode();
            var first = seen()!.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

            // As certbot does: new files renamed over the old ones.
            WritePair(keyFile + ".new", certFile + ".new", "renewed.example.com");
            File.Move(keyFile + ".new", keyFile, overwrite: true);
            File.Move(certFile + ".new", certFile, overwrite: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string current;
            do
            {
                await Task.Delay(100, timeout.Token);
                (await web.GetAsync("/webapi/ping", timeout.Token)).EnsureSuccessStatusCode();
                current = seen()!.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            }
            while (current != "renewed.example.com");

            Assert.Equal("first.example.com", first);
            Assert.Contains("Reloaded the web certificate", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            certs.Delete(recursive: true);
        }
    }

    private static void WritePair(string keyFile, string certFile, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
    }
}
