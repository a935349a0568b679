using Teleport.Orleans.Access.Rbac;
using static Teleport.Orleans.Access.Tests.Rbac.TestRoles;

namespace Teleport.Orleans.Access.Tests.Rbac;

public sealed class LoginsOnTests
{
    private static RoleSet Set() => new(
    [
        Allow("dev", ["root"], ("env", ["test"])),
        Allow("prod", ["ubuntu"], ("env", ["prod"])),
        Allow("everywhere", ["guest"], ("*", ["*"])),
        Deny("no-secrets", [], ("env", ["secret"])),
    ], NoTraits);

    [Theory]
    [InlineData("env=test", "guest,root")]
    [InlineData("env=prod", "guest,ubuntu")]
    [InlineData("env=secret", "")]
    [InlineData("", "guest")]
    public void Logins_on_a_node_are_those_check_login_allows_asked_again_or_not(string labels, string expected)
    {
        var set = Set();

        var first = set.LoginsOn(Labels(labels));
        var again = set.LoginsOn(Labels(labels));

        var wanted = expected.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(wanted, first);
        Assert.Equal(wanted, again);
        Assert.Equal(set.Logins.Where(l => set.CheckLogin(l, Labels(labels)).Allowed), first);
    }

    [Fact]
    public void Label_sets_with_the_same_pairs_in_another_order_get_the_same_answer()
    {
        var set = Set();
        var one = new Dictionary<string, string> { ["env"] = "prod", ["team"] = "db" };
        var other = new Dictionary<string, string> { ["team"] = "db", ["env"] = "prod" };

        Assert.Same(set.LoginsOn(one), set.LoginsOn(other));
        Assert.True(LabelSetComparer.Instance.Equals(one, other));
        Assert.Equal(LabelSetComparer.Instance.GetHashCode(one), LabelSetComparer.Instance.GetHashCode(other));
        Assert.False(LabelSetComparer.Instance.Equals(one, new Dictionary<string, string> { ["env"] = "prod", ["team"] = "web" }));
    }

    [Fact]
    public void Changing_the_callers_dictionary_afterwards_does_not_change_a_remembered_answer()
    {
        var set = Set();
        var labels = Labels("env=test");

        Assert.Equal(["guest", "root"], set.LoginsOn(labels));
        labels["env"] = "secret";

        Assert.Empty(set.LoginsOn(labels));
        Assert.Equal(["guest", "root"], set.LoginsOn(Labels("env=test")));
    }
}
