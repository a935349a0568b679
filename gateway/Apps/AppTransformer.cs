using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Contracts.Resources;
using Yarp.ReverseProxy.Forwarder;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// What the proxy changes on the way to the app and back: X-Forwarded-For/Host/Proto, the session's signed JWT in
/// <c>teleport-jwt-assertion</c> (a client's own copy of any of these is dropped), the app session cookies removed, the
/// app's rewrite headers set; redirects to the app's own host rewritten to its public address.
/// </summary>
internal sealed class AppTransformer(App app, AppSession session, string publicUrl) : HttpTransformer
{
    public const string JwtHeader = "teleport-jwt-assertion";

    private static readonly string[] Dropped = [JwtHeader, "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "Forwarded"];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        foreach (var name in Dropped)
        {
            headers.Remove(name);
        }

        var client = httpContext.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "";
        headers.TryAddWithoutValidation("X-Forwarded-For", client);
        headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
        headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        headers.TryAddWithoutValidation(JwtHeader, session.Jwt);
        StripSessionCookies(headers);
        foreach (var header in app.Rewrite.Headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (header[..colon].Trim(), header[(colon + 1)..].Trim());
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                headers.Host = value;
                continue;
            }

            if (Dropped.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                // The proxy's own headers are the app's proof of who is calling; a rewrite may not replace them.
                continue;
            }

            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse?.Headers.Location is { IsAbsoluteUri: true } location && RewritesRedirect(location.Host))
        {
            httpContext.Response.Headers.Location = new Uri(new Uri(publicUrl), location.PathAndQuery + location.Fragment).ToString();
        }

        return result;
    }

    private bool RewritesRedirect(string host) =>
        string.Equals(host, new Uri(app.Uri).Host, StringComparison.OrdinalIgnoreCase)
        || app.Rewrite.Redirect.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static void StripSessionCookies(HttpRequestHeaders headers)
    {
        if (!headers.TryGetValues("Cookie", out var values))
        {
            return;
        }

        var kept = values
            .SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(c => !c.StartsWith(AppCredentials.SessionCookie, StringComparison.Ordinal))
            .ToArray();
        headers.Remove("Cookie");
        if (kept.Length > 0)
        {
            headers.TryAddWithoutValidation("Cookie", string.Join("; ", kept));
        }
    }
}
