using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Serves apps on the web port: a request whose host names an app (see <see cref="AppCatalog.Match"/>) is handled
/// here and never reaches the web API. It must carry an app session (client certificate from <c>tsh apps login</c>,
/// or the app session cookie) for that app, whose user no lock names and whose roles still reach the app; then it is
/// forwarded. Without credentials a browser is sent to the web launcher (see <see cref="AppLaunchExchange"/>) and
/// anything else gets 401; bad credentials get 403. Refusals are audited and never reach the app.
/// </summary>
internal sealed class AppAccessMiddleware(
    RequestDelegate next, GatewayOptions options, AppCatalog catalog, AppCredentials credentials, AppForwarder forwarder,
    AppAudit audit, RoutingCache cache, AppLaunchExchange launch)
{
    public const string AuthPath = "/x-teleport-auth";
    public const string LogoutPath = "/teleport-logout";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != options.WebListenEndpoint.Port || await catalog.Match(context.Request.Host.Host) is not { } match)
        {
            await next(context);
            return;
        }

        var host = context.Request.Host.Host;
        var client = ClientAddress.Of(context);
        if (match.App is not { } app)
        {
            audit.Refused("", host, match.Requested, "none", $"no app named \"{match.Requested}\" is registered", client);
            await Write(context, StatusCodes.Status404NotFound, $"no app named \"{match.Requested}\" is registered in this cluster");
            return;
        }

        if (AppLaunchExchange.Handles(context.Request))
        {
            await launch.InvokeAsync(context, app, host, client);
            return;
        }

        var credential = await credentials.Resolve(context);
        if (credential.Session is not { } session)
        {
            await Unauthenticated(context, app, host, credential, client);
            return;
        }

        if (Refusal(session, app, cache) is { } refusal)
        {
            audit.Refused(session.User, host, app.Name, credential.Kind, refusal, client);
            await Write(context, StatusCodes.Status403Forbidden, refusal);
            return;
        }

        if (context.Request.Path.Equals(LogoutPath, StringComparison.Ordinal))
        {
            await AppSessionEndpoints.End(session, credentials, client);
            context.Response.Cookies.Delete(AppCredentials.SessionCookie, new CookieOptions { Path = "/", Secure = true, HttpOnly = true });
            context.Response.Cookies.Delete(AppCredentials.SubjectCookie, new CookieOptions { Path = "/", Secure = true, HttpOnly = true });
            await Write(context, StatusCodes.Status200OK, "logged out of the app");
            return;
        }

        await forwarder.Forward(context, app, session, catalog.UrlOf(app));
        audit.Request(session, app, context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", context.Response.StatusCode, client);
    }

    /// <summary>Why a session may not use this app now: another app's session, a lock on the user, roles that no longer reach it.</summary>
    internal static string? Refusal(AppSession session, App app, RoutingCache cache)
    {
        if (session.AppName != app.Name)
        {
            return $"the app session is for app \"{session.AppName}\", not \"{app.Name}\"";
        }

        if (LockCheck.Find(cache.Locks, session.User) is { } accessLock)
        {
            return LockCheck.Describe(accessLock, session.User);
        }

        var roles = new RoleSet([.. session.Roles.Select(cache.Role).OfType<Role>()], session.Traits);
        var decision = roles.CheckApp(app.Labels);
        return decision.Allowed ? null : $"access to app \"{app.Name}\" denied to {session.User}: {decision.Reason}";
    }

    private async Task Unauthenticated(HttpContext context, App app, string host, AppCredential credential, string client)
    {
        if (credential.Refusal is { } refusal)
        {
            audit.Refused(credential.User, host, app.Name, credential.Kind, refusal, client);
            await Write(context, StatusCodes.Status403Forbidden, refusal);
            return;
        }

        audit.Refused("", host, app.Name, "none", "the request carries no app session", client);
        if (IsBrowser(context.Request))
        {
            // As Teleport: to the web launcher (which signs the user in first if needed), keeping the path asked for.
            context.Response.Redirect(launch.LauncherUrl(app, $"{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}", null, ""));
            return;
        }

        await Write(context, StatusCodes.Status401Unauthorized, $"app \"{app.Name}\" needs an app session: run tsh apps login {app.Name}, or open it from the web UI");
    }

    private static bool IsBrowser(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    internal static async Task Write(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = new { message } });
    }
}
