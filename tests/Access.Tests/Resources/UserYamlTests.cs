using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class UserYamlTests
{
    private const string Example = """
        kind: user
        version: v2
        metadata:
          name: alice@example.com
        spec:
          roles: [access, editor]
          traits:
            logins: [alice, root]
            groups: []
          created_by:
            time: 2025-01-31T12:00:00.5+02:00
            user:
              name: admin
        """;

    private static User Parse(string yaml) => Assert.IsType<UserDocument>(Assert.Single(ResourceYaml.Parse(yaml))).User;

    [Fact]
    public void A_teleport_user_is_read_into_a_user()
    {
        var user = Parse(Example);

        Assert.Equal("alice@example.com", user.Name);
        Assert.Equal(["access", "editor"], user.Roles);
        Assert.Equal(new Dictionary<string, string[]> { ["logins"] = ["alice", "root"], ["groups"] = [] }, user.Traits);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 10, 0, 0, 500, TimeSpan.Zero), user.CreatedAt);
        Assert.Equal("admin", user.CreatedBy);
    }

    [Fact]
    public void A_user_round_trips_through_yaml_and_json()
    {
        ResourceAssert.RoundTrips(new UserDocument(Parse(Example)));
        ResourceAssert.RoundTrips(new UserDocument(new User { Name = "bob" }));
    }

    [Fact]
    public void Lock_status_is_written_but_not_read_back()
    {
        var locked = new User
        {
            Name = "bob",
            LockedUntil = new DateTimeOffset(2025, 1, 1, 0, 30, 0, TimeSpan.Zero),
            LockReason = "too many failed logins",
        };

        var yaml = ResourceYaml.ToYaml([new UserDocument(locked)]);
        var back = Assert.IsType<UserDocument>(Assert.Single(ResourceYaml.Parse(yaml))).User;

        Assert.Contains("is_locked: true", yaml);
        Assert.Contains("lock_expires: '2025-01-01T00:30:00Z'", yaml);
        Assert.Null(back.LockedUntil);
        Assert.Equal("", back.LockReason);
    }

    [Fact]
    public void Secrets_and_factors_are_never_written()
    {
        var yaml = ResourceYaml.ToYaml([new UserDocument(new User { Name = "bob", HasPassword = true, HasOtp = true })]);

        Assert.DoesNotContain("password", yaml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("otp", yaml, StringComparison.OrdinalIgnoreCase);
    }
}
