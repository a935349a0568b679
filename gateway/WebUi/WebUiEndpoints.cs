using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Teleport.Orleans.Gateway.WebUi;

/// <summary>
/// Serves the browser app on the web port: hashed assets under <c>/web/app/</c> cached for a year (their names change
/// with their content), and <c>index.html</c>, never cached without revalidation, for <c>/</c>, <c>/web</c> and every
/// <c>/web/...</c> route (the app routes in the browser: login, invite, cluster pages, editors, account).
/// </summary>
internal static class WebUiEndpoints
{
    public const string AssetPath = "/web/app/";

    private const string ImmutableCache = "public, max-age=31536000, immutable";

    public static void Map(IEndpointRouteBuilder routes)
    {
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        routes.MapMethods(AssetPath + "{file}", methods, (string file, HttpContext context, WebUiAssets assets) =>
            assets.Find(file) is { } asset ? Serve(context, asset, ImmutableCache) : Results.NotFound());
        foreach (var pattern in new[] { "/", "/web", "/web/{**path}" })
        {
            routes.MapMethods(pattern, methods, (HttpContext context, WebUiAssets assets) => Index(context, assets));
        }
    }

    /// <summary>Registers the embedded files (read once, when first asked for).</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services) => services.AddSingleton<WebUiAssets>();

    private static IResult Index(HttpContext context, WebUiAssets assets)
    {
        if (assets.Index is not { } index)
        {
            return Results.Content(
                "<!doctype html><title>Teleport</title><p>This proxy was built without its web UI (Node.js was not available, or "
                + "-p:TeleportWebUi=false). tsh and the web API work; rebuild with Node.js for the browser pages.</p>",
                "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status503ServiceUnavailable);
        }

        // The page names the current hashed files, so it is revalidated on every load (a 304 when unchanged).
        return Serve(context, index, "no-cache");
    }

    private static IResult Serve(HttpContext context, WebUiAsset asset, string cacheControl)
    {
        var response = context.Response;
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = asset.ETag;
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        var tags = context.Request.Headers.IfNoneMatch.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.TrimEntries));
        if (tags.Any(tag => tag == asset.ETag || tag == "*"))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var body = asset.Content;
        if (asset.Compressible)
        {
            var accepted = context.Request.Headers.AcceptEncoding.ToString();
            if (accepted.Contains("br", StringComparison.OrdinalIgnoreCase))
            {
                body = asset.Brotli;
                response.Headers.ContentEncoding = "br";
            }
            else if (accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = asset.Gzip;
                response.Headers.ContentEncoding = "gzip";
            }
        }

        return Results.Bytes(body, asset.ContentType);
    }
}
