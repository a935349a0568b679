using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Silo;

/// <summary>
/// Both Orleans ports of a real auth process speak TLS 1.3 and let in only the cluster's own services: plaintext, no
/// client certificate, and the cluster's admin or user certificates are all refused at the handshake, and each
/// refusal is logged once per source.
/// </summary>
public sealed class InternalTlsTests(InternalTlsTests.Server server) : IClassFixture<InternalTlsTests.Server>
{
    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task Plaintext_is_closed_without_an_answer(string listener)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Port(listener));
        var stream = tcp.GetStream();
        // What an Orleans client or silo sends first in the clear: a length-prefixed preamble.
        await stream.WriteAsync(new byte[] { 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });

        // Closed by the server (at most a TLS alert comes back), not left open for an Orleans conversation.
        await ReadUntilClosed(stream);

        await ExpectRefusalLogged(listener, "no TLS 1.3 handshake with a certificate was completed");
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task Tls_client_without_a_certificate_is_refused(string listener)
    {
        await AssertRefused(listener, clientCertificate: null);

        await ExpectRefusalLogged(listener, "no TLS 1.3 handshake with a certificate was completed");
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public async Task The_clusters_admin_certificate_is_refused(string listener)
    {
        var admin = IdentityFile.Load(Path.Combine(server.Auth.DataDir, "admin.identity")).ClientCertificate();

        await AssertRefused(listener, admin);

        await ExpectRefusalLogged(listener, "for role \"Admin\"");
    }

    [Fact]
    public async Task A_users_certificate_is_refused_on_the_gateway_port()
    {
        (await server.Auth.Tctl("users", "add", "tls-user", "--roles=access", "--logins=root")).EnsureSuccess();
        var path = Path.Combine(server.Auth.Root, "tls-user.identity");
        (await server.Auth.Tctl("auth", "sign", "--user=tls-user", "--format=file", $"--out={path}")).EnsureSuccess();

        await AssertRefused("gateway", IdentityFile.Load(path).ClientCertificate());

        await ExpectRefusalLogged("gateway", "for role \"\"");
    }

    [Fact]
    public async Task Silo_presents_an_auth_certificate_of_its_cluster_from_the_cluster_ca()
    {
        var ca = IdentityFile.Load(Path.Combine(server.Auth.DataDir, "admin.identity")).CaCertificates();
        X509Certificate2? presented = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Auth.GatewayPort);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "teleport.cluster.local",
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return true;
                },
            });
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused afterwards for presenting no certificate; the server's certificate was seen first.
        }

        Assert.NotNull(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(presented!));
        Assert.Contains("O=Auth", presented!.Subject, StringComparison.Ordinal);
        Assert.Contains("itest.example.com", presented.Subject, StringComparison.Ordinal);
    }

    private int Port(string listener) => listener == "silo" ? server.Auth.SiloPort : server.Auth.GatewayPort;

    /// <summary>The handshake fails, or completes on the client's side and the server closes before sending anything.</summary>
    private async Task AssertRefused(string listener, X509Certificate2? clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Port(listener));
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "teleport.cluster.local",
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            // TLS 1.3 sends no "certificate required" alert: the server closes once it has judged the certificate.
            await tls.WriteAsync(new byte[] { 0, 0, 0, 0 });
            var buffer = new byte[64];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var read = await tls.ReadAsync(buffer, timeout.Token);
            Assert.Equal(0, read);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            // Refused during the handshake or with a reset: also a refusal.
        }
    }

    private static async Task<byte[]> ReadUntilClosed(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset is a close too.
        }

        return received.ToArray();
    }

    private Task ExpectRefusalLogged(string listener, string reason) =>
        Eventually.Until(
            () => server.Auth.Output.Split('\n').Any(line =>
                line.Contains($"Refused a TLS connection to the Orleans {listener} port from 127.0.0.1", StringComparison.Ordinal)
                && line.Contains(reason, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            $"a logged refusal on the {listener} port saying \"{reason}\"\n{server.Auth.Output}");

    public sealed class Server : IAsyncLifetime
    {
        internal TeleportServer Auth { get; private set; } = null!;

        public async Task InitializeAsync() => Auth = await TeleportServer.StartAsync();

        public async Task DisposeAsync()
        {
            if (Auth is not null)
            {
                await Auth.DisposeAsync();
            }
        }
    }
}
