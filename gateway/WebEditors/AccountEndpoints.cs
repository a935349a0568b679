using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebEditors;

/// <summary>
/// The account page, for the signed-in user themself: <c>PUT /v1/webapi/users/password</c> (old password and code,
/// new password) and TOTP re-enrolment (<c>POST /v1/webapi/mfa/totp/begin</c> gives a new secret,
/// <c>PUT /v1/webapi/mfa/totp</c> installs it once the password, the current code and a code from the new secret
/// check out). The password checks count toward lockout and are rate-limited like a login.
/// </summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPut("/v1/webapi/users/password", (HttpContext context, IGrainFactory grains, RoutingCache cache, LoginRateLimits limits) =>
            WebApiError.Guard(() => ChangePassword(context, grains, cache, limits)))
            .RequireRateLimiting(LoginRateLimits.PerAddress);
        routes.MapPost("/v1/webapi/mfa/totp/begin", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var user = await WebUser.Require(context, grains, cache);
                var secret = OtpEnrolment.NewSecret();
                var uri = OtpEnrolment.KeyUri(secret, user.Name, user.ClusterName);
                return Results.Json(new { secret, uri, qrCode = Convert.ToBase64String(OtpEnrolment.QrPng(uri)) });
            }));
        routes.MapPut("/v1/webapi/mfa/totp", (HttpContext context, IGrainFactory grains, RoutingCache cache, LoginRateLimits limits) =>
            WebApiError.Guard(() => EnrolTotp(context, grains, cache, limits)))
            .RequireRateLimiting(LoginRateLimits.PerAddress);
    }

    private static async Task<IResult> ChangePassword(HttpContext context, IGrainFactory grains, RoutingCache cache, LoginRateLimits limits)
    {
        var user = await WebUser.Require(context, grains, cache);
        var request = await JsonBody.Read<PasswordRequest>(context.Request);
        if (string.IsNullOrEmpty(request.OldPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            throw new BadRequestException("old_password and new_password are required");
        }

        if (await Verify(context, grains, limits, user.Name, request.OldPassword, request.SecondFactorToken) is { } refused)
        {
            return refused;
        }

        await grains.GetGrain<IUserGrain>(user.Name).SetCredentials(request.NewPassword, "", "", user.Caller(context));
        return Results.Json(new { });
    }

    private static async Task<IResult> EnrolTotp(HttpContext context, IGrainFactory grains, RoutingCache cache, LoginRateLimits limits)
    {
        var user = await WebUser.Require(context, grains, cache);
        var request = await JsonBody.Read<TotpRequest>(context.Request);
        if (string.IsNullOrEmpty(request.Password) || string.IsNullOrEmpty(request.Secret) || string.IsNullOrEmpty(request.Code))
        {
            throw new BadRequestException("password, secret and code (from the authenticator app with the new secret) are required");
        }

        if (await Verify(context, grains, limits, user.Name, request.Password, request.SecondFactorToken) is { } refused)
        {
            return refused;
        }

        // The password is set again to itself: the grain installs password and secret together, after checking the code.
        await grains.GetGrain<IUserGrain>(user.Name).SetCredentials(request.Password, request.Secret.Trim().ToUpperInvariant(), request.Code.Trim(), user.Caller(context));
        return Results.Json(new { });
    }

    /// <summary>Null when the password (and the current code, if the user has one) is right; else the answer to give.</summary>
    private static async Task<IResult?> Verify(HttpContext context, IGrainFactory grains, LoginRateLimits limits, string user, string password, string? code)
    {
        if (limits.CheckUser(context, user) is { } tooMany)
        {
            return tooMany;
        }

        var result = await grains.GetGrain<IUserGrain>(user).Authenticate(new PasswordLogin
        {
            Password = password,
            OtpCode = code ?? "",
            ClientAddress = ClientAddress.Of(context),
        });
        return result.Success
            ? null
            : LoginEndpoint.Refused(new UserLoginResult { Failure = result.Failure, Message = result.Message, LockedUntil = result.LockedUntil });
    }

    private sealed record PasswordRequest
    {
        [JsonPropertyName("old_password")] public string? OldPassword { get; init; }
        [JsonPropertyName("new_password")] public string? NewPassword { get; init; }
        [JsonPropertyName("second_factor_token")] public string? SecondFactorToken { get; init; }
    }

    private sealed record TotpRequest
    {
        [JsonPropertyName("password")] public string? Password { get; init; }
        /// <summary>The current authenticator's code, when the user has one.</summary>
        [JsonPropertyName("second_factor_token")] public string? SecondFactorToken { get; init; }
        [JsonPropertyName("secret")] public string? Secret { get; init; }
        [JsonPropertyName("code")] public string? Code { get; init; }
    }
}
