using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>An HTTPS client for the proxy's web port that accepts its self-signed certificate and remembers what it saw.</summary>
internal static class WebClient
{
    public static HttpClient For(int port, out Func<X509Certificate2?> lastCertificate)
    {
        X509Certificate2? seen = null;
        var handler = new SocketsHttpHandler
        {
            // A new connection per request, so a reloaded certificate is seen on the next one.
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return certificate is not null;
                },
            },
        };
        lastCertificate = () => seen;
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
    }
}
