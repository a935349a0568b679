using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Gateway;

namespace Teleport.Orleans.Integration.Tests.WebUi;

/// <summary>How the proxy serves the web app: its routes, cache lifetimes and compression.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class WebUiServingTests(GatewayFixture fixture)
{
    private HttpClient Web => fixture.Web;

    [Theory]
    [InlineData("/")]
    [InlineData("/web")]
    [InlineData("/web/login")]
    [InlineData("/web/invite/0123456789abcdef0123456789abcdef")]
    [InlineData("/web/cluster/itest.example.com/resources")]
    [InlineData("/web/cluster/itest.example.com/console/node/some-node/root")]
    [InlineData("/web/account")]
    public async Task App_routes_answer_the_app_page_revalidated_on_every_load(string path)
    {
        var response = await Web.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Matches(AssetReference(), body);
        Assert.Contains("script-src 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hashed_assets_are_cached_for_a_year_and_sent_compressed()
    {
        var index = await Web.GetStringAsync("/web");
        var assets = AssetReference().Matches(index).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(2, assets.Length);
        foreach (var asset in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            var response = await Web.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.NonValidated["Cache-Control"].ToString());
            Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
            Assert.Contains(asset.EndsWith(".js", StringComparison.Ordinal) ? "javascript" : "css", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_app_page_answers_not_modified_when_the_browser_has_it()
    {
        var first = await Web.GetAsync("/web/login");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/web/login");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var response = await Web.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task An_asset_that_does_not_exist_is_not_found_rather_than_the_app_page()
    {
        var response = await Web.GetAsync("/web/app/app.NOSUCHHASH.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("\"(/web/app/app\\.[A-Z0-9]+\\.(?:js|css))\"")]
    private static partial Regex AssetReference();
}
