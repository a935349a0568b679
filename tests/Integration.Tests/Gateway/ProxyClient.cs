using System.Net.Security;
using System.Net.Sockets;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>Our own SSH client against the gateway's SSH proxy, with a user certificate from <c>tctl auth sign</c>.</summary>
internal static class ProxyClient
{
    /// <summary>Signs an OpenSSH key and certificate for <paramref name="user"/> into <paramref name="directory"/>; returns the key path.</summary>
    public static async Task<string> SignUser(TeleportServer server, string user, string directory)
    {
        var path = Path.Combine(directory, user);
        (await server.Tctl("auth", "sign", $"--user={user}", "--format=openssh", $"--out={path}", "--ttl=1h")).EnsureSuccess();
        return path;
    }

    public static async Task<SshPublicKey> HostCa(TeleportServer server)
    {
        var client = AuthClient(server, out var channel);
        using var _ = channel;
        var text = (await client.ExportAuthoritiesAsync(new ExportAuthoritiesRequest { Type = "host" })).Text;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return SshPublicKey.Parse($"{parts[2]} {parts[3]}");
    }

    /// <summary>Connects over plain TCP (listen_addr) or, with <paramref name="alpn"/>, over TLS to the web port.</summary>
    public static async Task<SshClient> Connect(TeleportServer server, string keyPath, int port, string? alpn = null)
    {
        var options = new SshClientOptions
        {
            UserName = "anyone",
            HostName = "127.0.0.1",
            PrivateKey = SshPrivateKey.Parse(await File.ReadAllTextAsync(keyPath)),
            Certificate = SshCertificate.Parse(await File.ReadAllTextAsync(keyPath + "-cert.pub")),
            HostKeyVerifier = SshHostKeyVerifiers.CertificateAuthority([await HostCa(server)], TimeSpan.FromMinutes(1)),
        };
        if (alpn is null)
        {
            return await SshClient.ConnectAsync("127.0.0.1", port, options);
        }

        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ApplicationProtocols = [new SslApplicationProtocol(alpn)],
        });
        Assert.Equal(alpn, tls.NegotiatedApplicationProtocol.ToString());
        return await SshClient.ConnectAsync(tls, options);
    }

    private static AuthService.AuthServiceClient AuthClient(TeleportServer server, out Grpc.Net.Client.GrpcChannel channel) =>
        Teleport.Orleans.AuthClient.AuthClientFactory.Create(
            $"127.0.0.1:{server.AuthPort}", Teleport.Orleans.AuthClient.IdentityFile.Load(Path.Combine(server.DataDir, "admin.identity")), out channel);
}
