using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// <c>/x-teleport-auth</c> on an app's host: how a browser signed into the web UI gets the app session cookie, as
/// Teleport does it (RFD 103), with its guard against session fixation (a double-submit state):
/// <list type="number">
/// <item><c>GET</c> without <c>state</c>: a new random state, set in the host-only <see cref="StateCookie"/> (one
/// minute) and registered in the cluster for this app; redirect to the web launcher with it.</item>
/// <item>The launcher creates the app session (<c>POST /v1/webapi/sessions/app</c>) and comes back with
/// <c>GET ?state=..</c> and the session in the URL fragment (never sent to a server, never logged).</item>
/// <item>That page's script posts <c>{state_value, cookie_value}</c>; the state must equal the cookie, be spent for
/// the first time here, be unexpired and issued for this app; the session must be the caller's for this app. Then
/// the session cookie is set and the state cookie dropped.</item>
/// </list>
/// A page elsewhere cannot plant its own session in a victim's browser: it can neither read nor set the state cookie
/// of the app's host.
/// </summary>
internal sealed class AppLaunchExchange(GatewayOptions options, AppCatalog catalog, AppCredentials credentials, AppAudit audit, RoutingCache cache)
{
    public const string StateCookie = "__Host-grv_app_auth_state";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(1);

    // Reads the session from the fragment, posts it with the state, then goes to the path the user asked for.
    private const string Script =
        "(function(){var q=new URLSearchParams(location.search),f=new URLSearchParams(location.hash.slice(1));"
        + "history.replaceState(null,'',location.pathname);"
        + "var m=document.getElementById('m');"
        + "fetch('/x-teleport-auth',{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json'},"
        + "body:JSON.stringify({state_value:q.get('state')||'',cookie_value:f.get('value')||''})})"
        + ".then(function(r){if(r.ok){var p=q.get('path')||'/';location.replace(p.charAt(0)==='/'&&p.charAt(1)!=='/'?p:'/');}"
        + "else{return r.json().then(function(b){m.textContent=(b&&b.error&&b.error.message)||'The app could not be opened.';});}})"
        + ".catch(function(){m.textContent='The app could not be opened.';});})();";

    private static readonly string ScriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)));

    public static bool Handles(HttpRequest request) => request.Path.Equals(AppAccessMiddleware.AuthPath, StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext context, App app, string host, string client)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsPost(context.Request.Method))
        {
            await Complete(context, app, host, client);
        }
        else if (!HttpMethods.IsGet(context.Request.Method))
        {
            await AppAccessMiddleware.Write(context, StatusCodes.Status405MethodNotAllowed, "use GET or POST on /x-teleport-auth");
        }
        else if (context.Request.Query["state"].ToString() is { Length: > 0 })
        {
            await ExchangePage(context);
        }
        else
        {
            await Begin(context, app, host);
        }
    }

    /// <summary>Where a browser without a session for the app starts: the launcher, which signs in first if needed.</summary>
    public string LauncherUrl(App app, string path, string? state, string clusterName)
    {
        var publicAddr = catalog.PublicAddrOf(app);
        var url = new StringBuilder($"https://{options.PublicAddr}/web/launch/{Uri.EscapeDataString(publicAddr)}");
        if (clusterName.Length > 0)
        {
            url.Append('/').Append(Uri.EscapeDataString(clusterName)).Append('/').Append(Uri.EscapeDataString(publicAddr));
        }

        var query = new List<string>();
        if (state is not null)
        {
            query.Add("state=" + Uri.EscapeDataString(state));
        }

        if (path.Length > 0 && path != "/")
        {
            query.Add("path=" + Uri.EscapeDataString(path));
        }

        return query.Count == 0 ? url.ToString() : url.Append('?').Append(string.Join('&', query)).ToString();
    }

    private async Task Begin(HttpContext context, App app, string host)
    {
        var state = IAppLaunchStateGrain.NewState();
        await credentials.Grains.GetGrain<IAppLaunchStateGrain>(state).Issue(host, StateLifetime);
        context.Response.Cookies.Append(StateCookie, state, new CookieOptions
        {
            Path = "/",
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            MaxAge = StateLifetime,
        });
        var settings = await credentials.Grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        context.Response.Redirect(LauncherUrl(app, SafePath(context.Request.Query["path"].ToString()), state, settings.ClusterName));
    }

    private static async Task ExchangePage(HttpContext context)
    {
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'sha256-{ScriptHash}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Opening the app…</title></head>"
            + "<body><p id=\"m\">Opening the app…</p><script>" + Script + "</script></body></html>");
    }

    private async Task Complete(HttpContext context, App app, string host, string client)
    {
        var (state, value) = await ReadBody(context);
        var cookie = context.Request.Cookies[StateCookie] ?? "";
        string? refusal;
        if (state.Length == 0 || cookie.Length == 0)
        {
            refusal = "the app launch has no state (or no state cookie); open the app from the web UI again";
        }
        else if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(cookie)))
        {
            refusal = "the app launch state does not match this browser's state cookie";
        }
        else
        {
            refusal = await credentials.Grains.GetGrain<IAppLaunchStateGrain>(state).Consume(host);
        }

        var session = refusal is null && value.Length > 0 ? await credentials.Session(value) : null;
        refusal ??= session is null ? "the app session is not a current session" : AppAccessMiddleware.Refusal(session, app, cache);
        context.Response.Cookies.Delete(StateCookie, new CookieOptions { Path = "/", Secure = true, HttpOnly = true });
        if (refusal is not null)
        {
            audit.Refused(session?.User ?? "", host, app.Name, "cookie", refusal, client);
            await AppAccessMiddleware.Write(context, StatusCodes.Status403Forbidden, refusal);
            return;
        }

        var cookieOptions = new CookieOptions
        {
            Path = "/",
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Expires = session!.Expires,
        };
        context.Response.Cookies.Append(AppCredentials.SessionCookie, session.Id, cookieOptions);
        context.Response.Cookies.Append(AppCredentials.SubjectCookie, session.SubjectToken, cookieOptions);
        await context.Response.WriteAsJsonAsync(new { });
    }

    private static async Task<(string State, string Value)> ReadBody(HttpContext context)
    {
        const int Limit = 4096;
        if (context.Request.ContentLength is > Limit)
        {
            return ("", "");
        }

        // Read at most the limit whether or not the length is announced (a chunked body has none).
        var buffer = new byte[Limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length is 0 or > Limit)
        {
            return ("", "");
        }

        try
        {
            using var body = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = body.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? ("", "")
                : (Text(root, "state_value"), Text(root, "cookie_value"));
        }
        catch (JsonException)
        {
            return ("", "");
        }
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    /// <summary>A path on the app's own host only (no scheme, no //host), else the root.</summary>
    public static string SafePath(string path) =>
        path.StartsWith('/') && !path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("/\\", StringComparison.Ordinal) ? path : "/";
}
