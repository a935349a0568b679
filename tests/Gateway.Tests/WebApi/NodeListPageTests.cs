using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.Tests.WebApi;

/// <summary>The listing page as a client parses it: every field of every node, escaped, with the caller's logins.</summary>
public sealed class NodeListPageTests
{
    private static readonly RoleSet Roles = new(
        [
            new Role { Name = "prod", Allow = new RoleConditions { Logins = ["root"], NodeLabels = new() { ["env"] = ["prod"] } } },
            new Role { Name = "any", Allow = new RoleConditions { Logins = ["ops"], NodeLabels = new() { ["*"] = ["*"] } } },
        ],
        new Dictionary<string, string[]>());

    [Fact]
    public async Task Each_node_carries_its_fields_its_sorted_labels_the_site_and_the_logins_its_labels_allow()
    {
        var web = Entry(new Node { Name = "uuid-1", Hostname = "web-1", Addr = "10.0.0.1:3022", SubKind = NodeSubKinds.OpenSsh }, 0, ("team", "a"), ("env", "prod"));
        var edge = Entry(new Node { Name = "uuid-2", Hostname = "edge-1", UseTunnel = true }, 1, ("env", "dev"));

        using var page = await Render([web, edge], startKey: "edge-1/uuid-2", totalCount: 7);

        var root = page.RootElement;
        Assert.Equal("edge-1/uuid-2", root.GetProperty("startKey").GetString());
        Assert.Equal(7, root.GetProperty("totalCount").GetInt32());
        var items = root.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(2, items.Length);
        var first = items[0];
        Assert.Equal("node", first.GetProperty("kind").GetString());
        Assert.Equal("openssh", first.GetProperty("subKind").GetString());
        Assert.Equal("uuid-1", first.GetProperty("id").GetString());
        Assert.Equal("uuid-1", first.GetProperty("name").GetString());
        Assert.Equal("web-1", first.GetProperty("hostname").GetString());
        Assert.Equal("10.0.0.1:3022", first.GetProperty("addr").GetString());
        Assert.False(first.GetProperty("tunnel").GetBoolean());
        Assert.Equal("example.com", first.GetProperty("siteId").GetString());
        Assert.Equal(["env=prod", "team=a"], first.GetProperty("labels").EnumerateArray().Select(l => $"{l.GetProperty("name").GetString()}={l.GetProperty("value").GetString()}"));
        Assert.Equal(["ops", "root"], first.GetProperty("sshLogins").EnumerateArray().Select(l => l.GetString()));
        Assert.True(items[1].GetProperty("tunnel").GetBoolean());
        Assert.Equal(["ops"], items[1].GetProperty("sshLogins").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task Quotes_backslashes_control_characters_and_non_ascii_text_survive_the_round_trip()
    {
        const string hostname = "we\"b\\1\n東京<script>";
        var node = Entry(new Node { Name = "uuid-1", Hostname = hostname, Addr = "10.0.0.1:3022" }, 0, ("note", "a \"quoted\" value\t"));

        using var page = await Render([node], startKey: "\"key\"", totalCount: 1);

        var item = page.RootElement.GetProperty("items")[0];
        Assert.Equal(hostname, item.GetProperty("hostname").GetString());
        Assert.Equal("a \"quoted\" value\t", item.GetProperty("labels")[0].GetProperty("value").GetString());
        Assert.Equal("\"key\"", page.RootElement.GetProperty("startKey").GetString());
    }

    [Fact]
    public async Task An_empty_page_is_still_a_whole_answer()
    {
        using var page = await Render([], startKey: "", totalCount: 0);

        Assert.Empty(page.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("", page.RootElement.GetProperty("startKey").GetString());
    }

    [Fact]
    public async Task A_page_larger_than_one_flush_arrives_whole()
    {
        var entries = Enumerable.Range(0, 2_000)
            .Select(i => Entry(new Node { Name = $"uuid-{i}", Hostname = $"host-{i:D5}", Addr = $"10.0.{i / 256}.{i % 256}:3022" }, i % 3, ("env", "prod"), ("rack", $"r{i % 3}")))
            .ToList();

        using var page = await Render(entries, startKey: "", totalCount: entries.Count);

        var hostnames = page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("hostname").GetString()).ToList();
        Assert.Equal(entries.Select(e => e.Node.Hostname), hostnames);
    }

    private static NodeListIndex.Entry Entry(Node node, int labelSet, params (string Name, string Value)[] labels) =>
        new(node, labels.ToDictionary(l => l.Name, l => l.Value), labelSet, node.Hostname, node.Addr);

    private static async Task<JsonDocument> Render(IReadOnlyList<NodeListIndex.Entry> entries, string startKey, int totalCount)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await new NodeListPage(entries, Roles, "example.com", startKey, totalCount).ExecuteAsync(context);

        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        return JsonDocument.Parse(body.ToArray());
    }
}
