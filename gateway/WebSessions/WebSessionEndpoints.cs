using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

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
        routes.MapPost(Path, (HttpContext context, IGrainFactory grains, LoginRateLimits limits, WebSessionService sessions) =>
            WebApiError.Guard(() => Login(context, grains, limits, sessions)))
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
                var ended = await sessions.EndAll(session.User);
                WebSessionCookie.Clear(context.Response);
                return Results.Json(new { ended });
            }));
    }

    private static async Task<IResult> Login(HttpContext context, IGrainFactory grains, LoginRateLimits limits, WebSessionService sessions)
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

        // The login grain checks the password, lockout and locks, and derives the TTL, logins and roles from the user's
        // roles, as for tsh login. The certificate it signs for a key that is dropped at once only carries those
        // facts here: a web terminal gets its own short-lived certificate (WebTerminal).
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var address = ClientAddress.Of(context);
        var result = await grains.GetGrain<IUserLoginGrain>(0).Login(new UserLoginRequest
        {
            User = request.User,
            Password = request.Pass,
            OtpCode = request.SecondFactorToken ?? "",
            SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
            ClientAddress = address,
        }, new Caller { Name = request.User, Address = address, Roles = ["Proxy"] });
        if (result.Certificates is not { } certificates)
        {
            return LoginEndpoint.Refused(result);
        }

        var facts = ProxyUser.FromCertificate(SshCertificate.Parse(certificates.SshCertificate), address);
        var (session, bearer) = await sessions.Start(request.User, facts.Roles, facts.Traits, certificates.Logins, certificates.ValidBefore, address);
        return Answer(context, session, bearer);
    }

    private static async Task<IResult> Renew(HttpContext context, WebSessionService sessions)
    {
        var old = await sessions.Require(context);
        // A renewed session keeps the sign-in's expiry: renewal rotates the token and restarts the idle clock only.
        var (session, bearer) = await sessions.Start(old.User, old.Roles, old.Traits, old.Logins, old.Expires, ClientAddress.Of(context));
        await sessions.End(old);
        return Answer(context, session, bearer);
    }

    private static IResult Answer(HttpContext context, WebSession session, string bearer)
    {
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
