using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Net.Client;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>gRPC clients of the auth API as the admin, as a joined node, or as a user with given roles.</summary>
internal sealed class ApiClient(AuthService.AuthServiceClient client, GrpcChannel channel, string name) : IDisposable
{
    public AuthService.AuthServiceClient Client { get; } = client;

    /// <summary>The host id for a node, the user name for a user.</summary>
    public string Name { get; } = name;

    public static ApiClient Admin(TeleportServer server)
    {
        var client = AuthClientFactory.Create($"127.0.0.1:{server.AuthPort}", IdentityFile.Load(Path.Combine(server.DataDir, "admin.identity")), out var channel);
        return new ApiClient(client, channel, "admin");
    }

    /// <summary>Joins a new host with a fresh node token, as an agent does, and connects with its host identity.</summary>
    public static async Task<ApiClient> JoinNode(TeleportServer server, string nodeName = "node")
    {
        using var admin = Admin(server);
        var token = (await admin.Client.CreateJoinTokenAsync(new CreateJoinTokenRequest { Roles = { "node" }, TtlSeconds = 600 })).Token.Name;
        using var sshKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hostId = Guid.NewGuid().ToString();
        var certificates = await admin.Client.RegisterUsingTokenAsync(new RegisterUsingTokenRequest
        {
            Token = token,
            HostId = hostId,
            NodeName = nodeName,
            Role = "Node",
            SshPublicKey = sshKey.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
        });
        return Connect(server, tlsKey, certificates, hostId);
    }

    /// <summary>Creates a user holding <paramref name="roles"/> and connects with a certificate issued to them.</summary>
    public static async Task<ApiClient> User(TeleportServer server, params string[] roles)
    {
        using var admin = Admin(server);
        var name = "u" + Guid.NewGuid().ToString("N")[..12];
        var request = new CreateUserRequest { Name = name, Logins = { "ubuntu" } };
        request.Roles.AddRange(roles);
        await admin.Client.CreateUserAsync(request);
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificates = await admin.Client.GenerateUserCertsAsync(new GenerateUserCertsRequest
        {
            User = name,
            TlsPublicKey = ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
            TtlSeconds = 3600,
        });
        return Connect(server, tlsKey, certificates, name);
    }

    public void Dispose() => channel.Dispose();

    private static ApiClient Connect(TeleportServer server, ECDsa tlsKey, Certificates certificates, string name)
    {
        var identity = new IdentityFile
        {
            PrivateKeyPem = tlsKey.ExportPkcs8PrivateKeyPem(),
            TlsCertificatePem = certificates.TlsCertificate,
            TlsCaCertificatesPem = [certificates.TlsCa],
        };
        var client = AuthClientFactory.Create($"127.0.0.1:{server.AuthPort}", identity, out var channel);
        return new ApiClient(client, channel, name);
    }
}
