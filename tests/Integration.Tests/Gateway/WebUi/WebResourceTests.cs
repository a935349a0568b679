using System.Net;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>The resources page's node listing and the audit log page's search, as a signed-in browser calls them.</summary>
[Collection(WebUiCollection.Name)]
public sealed class WebResourceTests(WebUiCluster cluster)
{
    private const string Resources = $"/v1/webapi/sites/{WebUiCluster.Site}/resources?kinds=node";
    private const string Events = $"/v1/webapi/sites/{WebUiCluster.Site}/events/search";

    [Fact]
    public async Task Node_list_shows_the_node_with_its_labels_and_the_logins_the_user_may_use_there()
    {
        using var browser = await cluster.SignIn("web-user");

        var nodes = await browser.GetJson(Resources);

        var node = nodes["items"]!.AsArray().Single(n => n!["hostname"]!.GetValue<string>() == "itest")!;
        Assert.Contains(node["labels"]!.AsArray(), l => l!["name"]!.GetValue<string>() == "env" && l["value"]!.GetValue<string>() == "itest");
        Assert.Equal([WebUiCluster.Login], node["sshLogins"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task Search_and_label_filters_narrow_the_list()
    {
        using var browser = await cluster.SignIn("web-user");

        var bySearch = await browser.GetJson($"{Resources}&search=itest");
        var byLabel = await browser.GetJson($"{Resources}&labels=env=itest");
        var byOtherLabel = await browser.GetJson($"{Resources}&labels=env=production");
        var byMissingWord = await browser.GetJson($"{Resources}&search=no-such-host");

        Assert.Equal(1, bySearch["totalCount"]!.GetValue<int>());
        Assert.Equal(1, byLabel["totalCount"]!.GetValue<int>());
        Assert.Equal(0, byOtherLabel["totalCount"]!.GetValue<int>());
        Assert.Equal(0, byMissingWord["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unknown_sort_or_malformed_label_filter_is_a_400_that_says_what_is_accepted()
    {
        using var browser = await cluster.SignIn("web-user");

        var sort = await browser.Get($"{Resources}&sort=labels:sideways");
        var labels = await browser.Get($"{Resources}&labels=justakey");

        Assert.Equal(HttpStatusCode.BadRequest, sort.StatusCode);
        Assert.Contains("hostname:asc", await Browser.Error(sort), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, labels.StatusCode);
    }

    [Fact]
    public async Task Unknown_cluster_in_the_path_is_a_404()
    {
        using var browser = await cluster.SignIn("web-user");

        var response = await browser.Get("/v1/webapi/sites/elsewhere.example.com/context");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Editor_searches_the_audit_log_by_event_type_and_user_a_page_at_a_time()
    {
        (await cluster.SignIn("web-user")).Dispose();
        (await cluster.SignIn("web-user")).Dispose();
        using var editor = await cluster.SignIn("web-editor");

        var first = await editor.GetJson($"{Events}?include=user.login&user=web-user&limit=1");
        var startKey = first["startKey"]!.GetValue<string>();
        var second = await editor.GetJson($"{Events}?include=user.login&user=web-user&limit=1&startKey={Uri.EscapeDataString(startKey)}");

        var one = first["events"]!.AsArray().Single()!;
        var two = second["events"]!.AsArray().Single()!;
        Assert.All(new[] { one, two }, e =>
        {
            Assert.Equal("user.login", e["event"]!.GetValue<string>());
            Assert.Equal("web-user", e["user"]!.GetValue<string>());
        });
        Assert.NotEqual(one.ToJsonString(), two.ToJsonString());
        Assert.True(one["time"]!.GetValue<DateTimeOffset>() >= two["time"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Audit_search_with_a_time_range_that_ends_before_it_starts_is_a_400()
    {
        using var editor = await cluster.SignIn("web-editor");

        var response = await editor.Get($"{Events}?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Context_tells_an_editor_which_pages_they_may_use()
    {
        using var editor = await cluster.SignIn("web-editor");

        var context = await editor.GetJson($"/v1/webapi/sites/{WebUiCluster.Site}/context");
        var sites = (await editor.GetJson("/v1/webapi/sites")).AsArray();

        Assert.True(context["editor"]!.GetValue<bool>());
        Assert.True(context["userAcl"]!["roles"]!["create"]!.GetValue<bool>());
        Assert.True(context["userAcl"]!["locks"]!["list"]!.GetValue<bool>());
        Assert.Equal(WebUiCluster.Site, sites.Single()!["name"]!.GetValue<string>());
    }
}
