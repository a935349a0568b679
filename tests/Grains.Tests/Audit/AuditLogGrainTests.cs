using System.Text.Json;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Audit;

[Collection(AuthClusterCollection.Name)]
public sealed class AuditLogGrainTests(AuthClusterFixture fixture)
{
    [Fact]
    public async Task Creating_a_user_is_audited_with_teleport_name_and_code()
    {
        var from = fixture.Time.GetUtcNow();
        var name = TestUsers.UniqueName("audited");
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = ["access"] }, upsert: false, new Caller { Name = "admin", Address = "10.0.0.1:1234" });

        var events = await Search(from, ["user.create"]);

        var json = events.Select(e => JsonDocument.Parse(e.Json).RootElement).Single(e => e.GetProperty("name").GetString() == name);
        Assert.Equal("T1002I", json.GetProperty("code").GetString());
        Assert.Equal("admin", json.GetProperty("user").GetString());
        Assert.Equal("10.0.0.1:1234", json.GetProperty("addr.remote").GetString());
    }

    [Fact]
    public async Task Failed_login_is_audited_as_a_warning()
    {
        var from = fixture.Time.GetUtcNow();
        var (name, _) = await TestUsers.CreateWithCredentials(fixture, ["access"]);
        await fixture.Grains.GetGrain<IUserGrain>(name).Authenticate(new PasswordLogin { Password = "definitely wrong", OtpCode = "123456" });

        var events = await Search(from, ["user.login"]);

        Assert.Contains(events, e => e.User == name && e.Code == "T1000W");
    }

    [Fact]
    public async Task Search_filters_by_time_range()
    {
        var name = TestUsers.UniqueName("old");
        await fixture.Grains.GetGrain<IUserGrain>(name).Save(new User { Name = name, Roles = ["access"] }, upsert: false, new Caller { Name = "admin" });
        fixture.Time.Advance(TimeSpan.FromHours(2));
        var after = fixture.Time.GetUtcNow().AddMinutes(-1);

        var events = await Search(after, ["user.create"]);

        Assert.DoesNotContain(events, e => e.Json.Contains(name, StringComparison.Ordinal));
    }

    private Task<AuditEvent[]> Search(DateTimeOffset from, string[] types) =>
        fixture.Grains.GetGrain<IAuditLogGrain>(0).Search(new AuditQuery { From = from, To = fixture.Time.GetUtcNow().AddMinutes(1), Types = types, Limit = 1000 });
}
