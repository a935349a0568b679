using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class NodeYamlTests
{
    private static Node Parse(string yaml) => Assert.IsType<NodeDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Node;

    [Fact]
    public void Teleports_openssh_node_is_read()
    {
        var node = Parse("""
            kind: node
            sub_kind: openssh
            version: v2
            metadata:
              name: 5e8b8c02-7cd4-4f7b-a8b0-1f9a1e4b9c11
              labels:
                env: prod
            spec:
              addr: 10.0.0.7:22
              hostname: legacy-db
            """);

        Assert.Equal("5e8b8c02-7cd4-4f7b-a8b0-1f9a1e4b9c11", node.Name);
        Assert.Equal(NodeSubKinds.OpenSsh, node.SubKind);
        Assert.Equal("10.0.0.7:22", node.Addr);
        Assert.Equal("legacy-db", node.Hostname);
        Assert.Equal("prod", node.Labels["env"]);
    }

    [Fact]
    public void Openssh_node_without_an_address_is_refused_with_the_line()
    {
        var error = Assert.Throws<ResourceFormatException>(() => Parse("""
            kind: node
            sub_kind: openssh
            version: v2
            metadata:
              name: n1
            spec:
              hostname: legacy-db
            """));

        Assert.Contains("spec.addr", error.Message);
    }

    [Fact]
    public void Node_reads_back_what_it_writes()
    {
        var node = new Node
        {
            Name = "n1",
            Hostname = "web",
            Addr = "10.0.0.5:3022",
            Labels = new() { ["env"] = "test" },
            CmdLabels = new() { ["arch"] = new CommandLabel { Command = ["uname", "-m"], Period = TimeSpan.FromMinutes(1), Result = "x86_64" } },
            Version = "0.1.0",
            Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };

        var again = Parse(ResourceYaml.ToYaml([new NodeDocument(node)]));

        Assert.Equal(node.Addr, again.Addr);
        Assert.Equal(node.Expires, again.Expires);
        Assert.Equal("x86_64", again.CmdLabels["arch"].Result);
        Assert.Equal(["uname", "-m"], again.CmdLabels["arch"].Command);
        Assert.Equal(TimeSpan.FromMinutes(1), again.CmdLabels["arch"].Period);
    }
}
