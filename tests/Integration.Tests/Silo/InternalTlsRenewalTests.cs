using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Silo;

/// <summary>
/// The silo re-signs its internal TLS certificate at two thirds of its life and serves the new one to new
/// connections without a restart (the lifetime is shortened to 6 s here).
/// </summary>
public sealed class InternalTlsRenewalTests
{
    [Fact]
    public async Task New_connections_get_the_renewed_certificate_without_a_restart()
    {
        await using var auth = await TeleportServer.StartAsync(environment: new Dictionary<string, string> { ["TELEPORT_TEST_INTERNAL_CERT_TTL"] = "6" });
        var first = await PresentedSerialAsync(auth.GatewayPort);
        string? renewed = null;

        await Eventually.Until(
            async () =>
            {
                renewed = await PresentedSerialAsync(auth.GatewayPort);
                return renewed != first;
            },
            TimeSpan.FromSeconds(30),
            "a new certificate on a new connection");
        var status = await auth.Tctl("status");

        Assert.NotEqual(first, renewed);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.True(auth.Output.Split('\n').Count(l => l.Contains("Internal TLS certificate for", StringComparison.Ordinal)) >= 2, auth.Output);
    }

    private static async Task<string> PresentedSerialAsync(int port)
    {
        string serial = "";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "teleport.cluster.local",
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    serial = certificate?.GetSerialNumberString() ?? "";
                    return true;
                },
            });
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused afterwards for presenting no certificate; the server's was seen first.
        }

        return serial;
    }
}
