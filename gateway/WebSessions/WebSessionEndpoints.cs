using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebSessions;

/// <summary>
/// Teleport's web sign-in: <c>POST /v1/webapi/sessions/web</c> (password and OTP; the same login, rate limits,
/// lockout and audit as tsh login), <c>POST .../renew</c>, <c>DELETE .../web</c> (sign out) and
/// <c>DELETE .../web/all</c> (sign out everywhere).
/// </summary>
internal static class WebSessionEndpoints
{
    private const string Path = "/v1/webapi/sessions/web";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, (HttpContext context, LoginRateLimits limits, WebSessionService sessions) =>
            WebApiError.Guard(() => Login(context, limits, sessions)))
            .RequireRateLimiting(LoginRateLimits.PerAddress);
        routes.MapPost(Path + "/renew", (HttpContext context, WebSessionService sessions) =>
            WebApiError.Guard(() => Renew(context, sessions)));
        routes.MapDelete(Path, (HttpContext context, WebSessionService sessions) =>
            WebApiError.Guard(async () =>
            {
                var session = await sessions.Require(context);
                await sessions.End(session);
                WebSessionCookie.Clear(context.Response);
                return Results.Json(new { });
            }));
        routes.MapDelete(Path + "/all", (HttpContext context, WebSessionService sessions) =>
            WebApiError.Guard(async () =>
            {
                var session = await sessions.Require(context);
                var ended = await sessions.EndAll(session);
                WebSessionCookie.Clear(context.Response);
                return Results.Json(new { ended });
            }));
    }

    private static async Task<IResult> Login(HttpContext context, LoginRateLimits limits, WebSessionService sessions)
    {
        var request = await JsonBody.Read<LoginRequest>(context.Request);
        if (string.IsNullOrEmpty(request.User) || string.IsNullOrEmpty(request.Pass))
        {
            throw new BadRequestException("user and password are required");
        }

        if (limits.CheckUser(context, request.User) is { } tooMany)
        {
            return tooMany;
        }

        // The login grain checks the password, lockout and locks, derives the expiry, logins and roles as for tsh
        // login, and starts the session.
        var address = ClientAddress.Of(context);
        var result = await sessions.Login(new UserLoginRequest
        {
            User = request.User,
            Password = request.Pass,
            OtpCode = request.SecondFactorToken ?? "",
            ClientAddress = address,
        }, new Caller { Name = request.User, Address = address, Roles = ["Proxy"] });
        return result.Started is { } started ? Answer(context, started) : LoginEndpoint.Refused(result.Login);
    }

    private static async Task<IResult> Renew(HttpContext context, WebSessionService sessions)
    {
        var old = await sessions.Require(context);
        return Answer(context, await sessions.Renew(old, ClientAddress.Of(context)));
    }

    private static IResult Answer(HttpContext context, StartedWebSession started)
    {
        var (session, bearer) = (started.Session, started.Bearer);
        WebSessionCookie.Set(context.Response, session.User, session.Id, session.Expires);
        return Results.Json(new
        {
            type = "bearer",
            token = bearer,
            expires_in = (long)Math.Max(0, (session.Expires - DateTimeOffset.UtcNow).TotalSeconds),
            sessionExpires = session.Expires.UtcDateTime,
            sessionInactiveTimeout = (long)session.InactivityTimeout.TotalMilliseconds,
        });
    }

    private sealed record LoginRequest
    {
        [JsonPropertyName("user")] public string? User { get; init; }
        [JsonPropertyName("pass")] public string? Pass { get; init; }
        [JsonPropertyName("second_factor_token")] public string? SecondFactorToken { get; init; }
    }
}
