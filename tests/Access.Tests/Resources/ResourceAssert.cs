using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

/// <summary>Compares resources field by field: the records hold arrays and dictionaries, which record equality compares by reference.</summary>
internal static class ResourceAssert
{
    public static void Equivalent(ResourceDocument expected, ResourceDocument actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Name, actual.Name);
        switch (expected, actual)
        {
            case (RoleDocument e, RoleDocument a):
                Equivalent(e.Role, a.Role);
                break;
            case (UserDocument e, UserDocument a):
                Equivalent(e.User, a.User);
                break;
            case (JoinTokenDocument e, JoinTokenDocument a):
                Assert.Equal(e.Token.Name, a.Token.Name);
                Assert.Equal(e.Token.Roles, a.Token.Roles);
                Assert.Equal(e.Token.Expires, a.Token.Expires);
                Assert.Equal(e.Token.Labels, a.Token.Labels);
                break;
            case (AuthPreferenceDocument e, AuthPreferenceDocument a):
                Assert.Equal(e.Preference, a.Preference);
                break;
            default:
                Assert.Fail($"unexpected document {expected.GetType().Name}");
                break;
        }
    }

    public static void Equivalent(Role expected, Role actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected.Options, actual.Options);
        Equivalent(expected.Allow, actual.Allow);
        Equivalent(expected.Deny, actual.Deny);
    }

    public static void Equivalent(User expected, User actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Roles, actual.Roles);
        Assert.Equal(expected.Traits, actual.Traits);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.CreatedBy, actual.CreatedBy);
    }

    private static void Equivalent(RoleConditions expected, RoleConditions actual)
    {
        Assert.Equal(expected.Logins, actual.Logins);
        Assert.Equal(expected.NodeLabels, actual.NodeLabels);
        Assert.Equal(expected.Rules.Length, actual.Rules.Length);
        foreach (var (e, a) in expected.Rules.Zip(actual.Rules))
        {
            Assert.Equal(e.Resources, a.Resources);
            Assert.Equal(e.Verbs, a.Verbs);
        }
    }

    /// <summary>Writes as YAML and as JSON, reads both back, and expects the same resources.</summary>
    public static void RoundTrips(params ResourceDocument[] docs)
    {
        foreach (var text in new[] { ResourceYaml.ToYaml(docs), ResourceYaml.ToJson(docs) })
        {
            var back = ResourceYaml.Parse(text);
            Assert.Equal(docs.Length, back.Count);
            foreach (var (e, a) in docs.Zip(back))
            {
                Equivalent(e, a);
            }
        }
    }
}
