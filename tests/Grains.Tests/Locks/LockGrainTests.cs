using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Locks;

[Collection(AuthClusterCollection.Name)]
public sealed class LockGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    private IResourceDirectoryGrain<AccessLock> Directory =>
        fixture.Grains.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey);

    [Fact]
    public async Task Lock_is_listed_and_its_creation_and_deletion_are_audited()
    {
        var name = TestUsers.UniqueName("lock");
        var grain = fixture.Grains.GetGrain<ILockGrain>(name);

        var saved = await grain.Save(new AccessLock { Name = name, Target = new LockTarget { User = "mallory" }, Message = "incident 42" }, upsert: false, Admin);
        Assert.Contains(await Directory.List(), l => l.Name == name);
        await grain.Delete(Admin);

        Assert.DoesNotContain(await Directory.List(), l => l.Name == name);
        Assert.Equal("admin", saved.CreatedBy);
        var events = await fixture.Grains.GetGrain<IAuditLogGrain>(0).Search(new AuditQuery
        {
            From = fixture.Time.GetUtcNow().AddMinutes(-1),
            To = fixture.Time.GetUtcNow().AddMinutes(1),
            Types = ["lock.created", "lock.deleted"],
        });
        var mine = events.Where(e => JsonNode.Parse(e.Json)!["name"]!.GetValue<string>() == name).Select(e => e.Code).ToArray();
        Assert.Equal(["TLK00I", "TLK01I"], mine.Order());
    }

    [Fact]
    public async Task Lock_without_a_target_is_refused()
    {
        var name = TestUsers.UniqueName("lock");

        var error = await Assert.ThrowsAsync<AuthException>(() => fixture.Grains.GetGrain<ILockGrain>(name).Save(new AccessLock { Name = name }, upsert: false, Admin));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
        Assert.Null(await fixture.Grains.GetGrain<ILockGrain>(name).Get());
    }
}
