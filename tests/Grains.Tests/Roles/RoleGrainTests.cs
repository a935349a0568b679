using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Roles;

[Collection(AuthClusterCollection.Name)]
public sealed class RoleGrainTests(AuthClusterFixture fixture)
{
    private static readonly Caller Admin = new() { Name = "admin" };

    [Fact]
    public async Task Built_in_roles_exist_after_bootstrap()
    {
        foreach (var name in new[] { "access", "editor", "auditor" })
        {
            var role = await fixture.Grains.GetGrain<IRoleGrain>(name).Get();
            Assert.NotNull(role);
        }
    }

    [Fact]
    public async Task Role_with_an_invalid_regex_is_refused_and_not_stored()
    {
        var name = TestUsers.UniqueName("badregex");
        var role = new Role { Name = name, Allow = new RoleConditions { Logins = ["root"], NodeLabels = new() { ["env"] = ["^(prod$"] } } };

        var error = await Assert.ThrowsAsync<AuthException>(() => fixture.Grains.GetGrain<IRoleGrain>(name).Save(role, upsert: false, Admin));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
        Assert.Null(await fixture.Grains.GetGrain<IRoleGrain>(name).Get());
    }

    [Fact]
    public async Task Role_in_use_cannot_be_deleted()
    {
        var roleName = TestUsers.UniqueName("inuse");
        await fixture.Grains.GetGrain<IRoleGrain>(roleName).Save(new Role { Name = roleName, Allow = new RoleConditions { Logins = ["ops"] } }, upsert: false, Admin);
        var (user, _) = await TestUsers.CreateWithCredentials(fixture, [roleName]);

        var error = await Assert.ThrowsAsync<AuthException>(() => fixture.Grains.GetGrain<IRoleGrain>(roleName).Delete(Admin));

        Assert.Contains(user, error.Message);
        Assert.NotNull(await fixture.Grains.GetGrain<IRoleGrain>(roleName).Get());
    }

    [Fact]
    public async Task Upsert_replaces_a_role_and_create_does_not()
    {
        var name = TestUsers.UniqueName("upsert");
        var grain = fixture.Grains.GetGrain<IRoleGrain>(name);
        await grain.Save(new Role { Name = name, Allow = new RoleConditions { Logins = ["a"] } }, upsert: false, Admin);

        await Assert.ThrowsAsync<AuthException>(() => grain.Save(new Role { Name = name, Allow = new RoleConditions { Logins = ["b"] } }, upsert: false, Admin));
        await grain.Save(new Role { Name = name, Allow = new RoleConditions { Logins = ["c"] } }, upsert: true, Admin);

        Assert.Equal(["c"], (await grain.Get())!.Allow.Logins);
    }
}
