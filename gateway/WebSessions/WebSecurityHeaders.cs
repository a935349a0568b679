using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebSessions;

/// <summary>
/// What every response of the web port carries: a CSP that runs only the UI's own scripts and styles and forbids
/// framing, HSTS, nosniff and no referrer; API responses are never cached. A JSON API call with a body must say
/// <c>application/json</c> when it comes from a browser (a session cookie, or signing in): a cross-site form can only
/// post form or text types, so this also stops such posts.
/// </summary>
internal static class WebSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' wss:; font-src 'self' data:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ApiPrefix = "/v1/webapi/";
    private const string SessionsPath = "/v1/webapi/sessions/web";

    public static void Use(WebApplication app, int webPort) => app.Use(async (context, next) =>
    {
        if (context.Connection.LocalPort != webPort)
        {
            await next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var api = context.Request.Path.StartsWithSegments(ApiPrefix.TrimEnd('/'), StringComparison.Ordinal);
        if (api)
        {
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            // Calls of the browser (its cookie, or signing in) only: host and tsh clients carry no cookie to forge.
            var browser = WebSessionService.Presents(context) || context.Request.Path.StartsWithSegments(SessionsPath, StringComparison.Ordinal);
            if (browser && HasBody(context.Request) && !IsJson(context.Request.ContentType))
            {
                await WebApiError.Of(StatusCodes.Status415UnsupportedMediaType, "the request body must be JSON (Content-Type: application/json)").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    private static bool HasBody(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method))
        && (request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0) || request.ContentType is not null);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
