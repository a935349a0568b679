using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>What a TLS client asking for a name gets from a web port, checked against an ACME server's root.</summary>
internal static class AcmeProbe
{
    /// <summary>The certificate served for <paramref name="serverName"/> if it chains (with what the server sent) to <paramref name="root"/>; else null.</summary>
    public static async Task<X509Certificate2?> TrustedCertificateAsync(int port, string serverName, X509Certificate2 root)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        X509Certificate2? served = null;
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync("127.0.0.1", port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    served = errors == SslPolicyErrors.None && certificate is not null
                        ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())
                        : null;
                    return true;
                },
            }, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return null;
        }

        return served;
    }
}
