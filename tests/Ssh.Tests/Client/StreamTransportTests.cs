using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Client;

/// <summary>The client over streams other than a plain TCP connection.</summary>
public sealed class StreamTransportTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public async Task A_connection_runs_inside_a_tls_stream()
    {
        await using var server = TestSshServer.Start();
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        using var certificate = SelfSignedCertificate();
        using var listener = new TlsListener(certificate, server);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, listener.Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
        await tls.AuthenticateAsClientAsync("ssh.test");

        var options = ClientOptions.For("alice", UserKey, SshHostKeyVerifiers.Pinned(server.Options.HostKeys[0].PublicKey), hostName: "ssh.test");
        await using var client = await SshClient.ConnectAsync(tls, options);
        var result = await client.RunCommandAsync("cat", TestSessionHandler.Pattern(500_000));

        Assert.Equal(TestSessionHandler.Pattern(500_000), result.Output);
        Assert.Equal("ssh.test", client.HostKey.HostName);
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ssh.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Accepts one TCP connection, terminates TLS, and serves SSH over the decrypted stream.</summary>
    private sealed class TlsListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();

        public TlsListener(X509Certificate2 certificate, TestSshServer server)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                using var socket = await _listener.AcceptTcpClientAsync(_stopping.Token);
                var tls = new SslStream(socket.GetStream());
                await tls.AuthenticateAsServerAsync(certificate);
                await server.Server.RunConnectionAsync(tls, socket.Client.RemoteEndPoint, _stopping.Token);
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            _stopping.Dispose();
        }
    }
}
