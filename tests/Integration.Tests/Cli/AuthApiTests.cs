using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>The gRPC auth API as gateways and agents will call it.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuthApiTests(ServerFixture fixture)
{
    private TeleportServer Server => fixture.Server;

    [Fact]
    public async Task Call_without_a_client_certificate_is_refused()
    {
        var identity = IdentityFile.Load(Path.Combine(Server.DataDir, "admin.identity"));
        using var ca = X509Certificate2.CreateFromPem(identity.TlsCaCertificatesPem[0]);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            },
        };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{Server.AuthPort}", new GrpcChannelOptions { HttpHandler = handler });
        var client = new AuthService.AuthServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ListUsersAsync(new ListUsersRequest()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Host_joins_with_a_token_once_and_gets_a_host_certificate()
    {
        var client = AdminClient(out var channel);
        using var _ = channel;
        var token = (await client.CreateJoinTokenAsync(new CreateJoinTokenRequest { Roles = { "node" }, TtlSeconds = 600 })).Token.Name;
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var request = new RegisterUsingTokenRequest
        {
            Token = token,
            HostId = Guid.NewGuid().ToString(),
            NodeName = "web-1",
            Role = "Node",
            SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = ByteString.CopyFrom(ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfo()),
        };

        var issued = await client.RegisterUsingTokenAsync(request);
        // The same host retrying with the same keys (its answer was lost) is answered again; any other joiner is not.
        var retried = await client.RegisterUsingTokenAsync(request);
        var otherHost = request.Clone();
        otherHost.HostId = Guid.NewGuid().ToString();
        var reuse = await Assert.ThrowsAsync<RpcException>(async () => await client.RegisterUsingTokenAsync(otherHost));

        var certificate = SshCertificate.Parse(issued.SshCertificate);
        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.Contains("web-1.itest.example.com", certificate.Principals);
        Assert.Equal("Node", certificate.Extensions["x-teleport-role"]);
        Assert.True(certificate.VerifySignature());
        Assert.Equal(SshCertificateType.Host, SshCertificate.Parse(retried.SshCertificate).Type);
        Assert.Equal(StatusCode.PermissionDenied, reuse.StatusCode);
        Assert.Contains("already used", reuse.Status.Detail);
    }

    [Fact]
    public async Task Expired_or_unknown_join_token_is_refused_without_a_certificate()
    {
        var client = AdminClient(out var channel);
        using var _ = channel;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.RegisterUsingTokenAsync(new RegisterUsingTokenRequest
        {
            Token = "0123456789abcdef0123456789abcdef",
            HostId = Guid.NewGuid().ToString(),
            Role = "Node",
        }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_is_not_found()
    {
        var client = AdminClient(out var channel);
        using var _ = channel;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.GetUserAsync(new GetUserRequest { Name = "no-such-user" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private AuthService.AuthServiceClient AdminClient(out GrpcChannel channel) =>
        AuthClientFactory.Create($"127.0.0.1:{Server.AuthPort}", IdentityFile.Load(Path.Combine(Server.DataDir, "admin.identity")), out channel);
}
