using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class SessionJoinAccessTests
{
    private const string Auditor = """
        kind: role
        version: v7
        metadata:
          name: auditor
        spec:
          allow:
            join_sessions:
            - name: watch production
              roles: [prod-*]
              kinds: [ssh]
              modes: [observer, moderator]
            - name: pair with developers
              roles: ['^dev$']
              kinds: ['*']
              modes: [peer]
        """;

    private static Role Parse(string yaml) => Assert.IsType<RoleDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Role;

    private static RoleSet Roles(params Role[] roles) => new(roles, TestRoles.NoTraits);

    [Fact]
    public void Join_sessions_policies_are_read_and_written_back()
    {
        var role = Parse(Auditor);

        var policy = role.Allow.JoinSessions[0];
        Assert.Equal("watch production", policy.Name);
        Assert.Equal(["prod-*"], policy.Roles);
        Assert.Equal(["ssh"], policy.Kinds);
        Assert.Equal(["observer", "moderator"], policy.Modes);
        var written = RoleCodec.Write(role).ToJsonString();
        Assert.Contains("\"join_sessions\":[{\"name\":\"watch production\",\"roles\":[\"prod-*\"],\"kinds\":[\"ssh\"],\"modes\":[\"observer\",\"moderator\"]}", written);
    }

    [Fact]
    public void An_unknown_participant_mode_is_refused_with_its_line()
    {
        var error = Assert.Throws<ResourceFormatException>(() => Parse(Auditor.Replace("modes: [peer]", "modes: [driver]", StringComparison.Ordinal)));

        Assert.Contains("unknown participant mode 'driver'", error.Message);
        Assert.Contains("line 15", error.Message);
    }

    [Fact]
    public void Policies_matching_the_owners_roles_add_up_their_modes()
    {
        var modes = SessionJoinAccess.Modes("ann", Roles(Parse(Auditor)), "bob", ["prod-db", "dev"]);

        Assert.Equal(["observer", "moderator", "peer"], modes);
    }

    [Fact]
    public void No_policy_for_the_owners_roles_means_no_mode_and_a_sentence_that_says_so()
    {
        var modes = SessionJoinAccess.Modes("ann", Roles(Parse(Auditor)), "bob", ["staging"]);

        Assert.Empty(modes);
        Assert.Equal(
            "access denied: ann may not join sessions of bob (no join_sessions policy of your roles covers the roles of the session's owner)",
            SessionJoinAccess.Refusal("ann", "observer", "bob", modes));
    }

    [Fact]
    public void A_mode_the_policies_do_not_grant_is_refused_naming_the_ones_they_do()
    {
        var modes = SessionJoinAccess.Modes("ann", Roles(Parse(Auditor)), "bob", ["prod-web"]);

        Assert.Equal("access denied: ann may join this session of bob only as observer or moderator, not as peer", SessionJoinAccess.Refusal("ann", "peer", "bob", modes));
        Assert.Null(SessionJoinAccess.Refusal("ann", "moderator", "bob", modes));
    }

    [Fact]
    public void The_owner_may_always_rejoin_in_any_mode()
    {
        var modes = SessionJoinAccess.Modes("bob", Roles(TestRoles.Allow("plain", ["bob"])), "bob", ["plain"]);

        Assert.Equal(["peer", "moderator", "observer"], modes);
    }

    [Fact]
    public void A_policy_for_another_session_kind_does_not_apply()
    {
        var k8sOnly = Parse(Auditor.Replace("kinds: [ssh]", "kinds: [k8s]", StringComparison.Ordinal));

        Assert.DoesNotContain("observer", SessionJoinAccess.Modes("ann", Roles(k8sOnly), "bob", ["prod-db"]));
    }
}
