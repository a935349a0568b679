using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Api;

/// <summary>WatchAccessPolicy: what a node authorizes logins with, pushed on every change.</summary>
[Collection(ServerCollection.Name)]
public sealed class AccessPolicyApiTests(ServerFixture fixture)
{
    private TeleportServer Server => fixture.Server;

    [Fact]
    public async Task Lock_makes_the_watch_push_a_new_policy_with_the_lock()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = node.Client.WatchAccessPolicy(new WatchAccessPolicyRequest(), cancellationToken: timeout.Token);
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        var initial = watch.ResponseStream.Current;
        var user = "locked-" + Guid.NewGuid().ToString("N")[..8];

        await admin.Client.CreateResourceAsync(new CreateResourceRequest
        {
            Yaml = $"kind: lock\nversion: v2\nmetadata:\n  name: {user}\nspec:\n  target:\n    user: {user}\n  message: go away\n",
        });

        AccessPolicy? pushed = null;
        while (pushed is null && await watch.ResponseStream.MoveNext(timeout.Token))
        {
            if (watch.ResponseStream.Current.Locks.Any(l => l.User == user))
            {
                pushed = watch.ResponseStream.Current;
            }
        }

        Assert.NotNull(pushed);
        Assert.DoesNotContain(initial.Locks, l => l.User == user);
        Assert.Equal("go away", pushed.Locks.Single(l => l.User == user).Message);
        Assert.Contains(initial.Roles, r => r.Name == "access" && r.Allow.Logins.Count > 0);
        Assert.Single(initial.UserCaKeys);
    }

    [Fact]
    public async Task Locked_user_gets_no_certificates_until_the_lock_is_removed()
    {
        using var admin = ApiClient.Admin(Server);
        using var user = await ApiClient.User(Server, "access");
        var request = new GenerateUserCertsRequest
        {
            User = user.Name,
            TlsPublicKey = Google.Protobuf.ByteString.CopyFrom(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfo()),
        };
        var lockName = "lock-" + user.Name;
        await admin.Client.CreateResourceAsync(new CreateResourceRequest
        {
            Yaml = $"kind: lock\nversion: v2\nmetadata:\n  name: {lockName}\nspec:\n  target:\n    user: {user.Name}\n  message: under investigation\n",
        });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await user.Client.GenerateUserCertsAsync(request));
        await admin.Client.DeleteResourceAsync(new DeleteResourceRequest { Kind = "lock", Name = lockName });
        var renewed = await user.Client.GenerateUserCertsAsync(request);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("under investigation", error.Status.Detail);
        Assert.NotEmpty(renewed.TlsCertificate);
    }

    [Fact]
    public async Task User_identity_cannot_watch_the_policy()
    {
        using var user = await ApiClient.User(Server, "access");
        using var watch = user.Client.WatchAccessPolicy(new WatchAccessPolicyRequest());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await watch.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
