using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// Invite and reset tokens from <c>tctl users add</c> / <c>tctl users reset</c>, redeemed over JSON:
/// <c>GET /v1/webapi/users/password/token/{token}</c> describes the token (and the TOTP secret to enrol),
/// <c>PUT /v1/webapi/users/password/token</c> sets the password and enrols the second factor.
/// </summary>
internal static class InviteEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/users/password/token/{token}", (string token, IGrainFactory grains) =>
            WebApiError.Guard(() => Describe(token, grains)));
        routes.MapPut("/v1/webapi/users/password/token", (HttpContext context, IGrainFactory grains) =>
            WebApiError.Guard(() => Redeem(context, grains)))
            .RequireRateLimiting(LoginRateLimits.PerAddress);
    }

    /// <summary>The token, its user and the OTP enrolment when the cluster asks for a second factor.</summary>
    internal static async Task<InviteDetails> Load(string token, IGrainFactory grains)
    {
        var found = await grains.GetGrain<IUserTokenGrain>(token).Get()
            ?? throw AuthException.NotFound("the invite or reset token is invalid or has expired");
        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        var otp = settings.AuthPreference.SecondFactor != SecondFactor.Off && found.OtpSecret.Length > 0;
        return new InviteDetails(found, otp ? OtpEnrolment.KeyUri(found.OtpSecret, found.User, settings.ClusterName) : "");
    }

    internal static async Task<User> RedeemToken(IGrainFactory grains, string token, string password, string otpCode, string clientAddress)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(password))
        {
            throw new BadRequestException("token and password are required");
        }

        return await grains.GetGrain<IUserTokenGrain>(token).Redeem(password, otpCode, new Caller { Name = "proxy", Address = clientAddress, Roles = ["Proxy"] });
    }

    private static async Task<IResult> Describe(string token, IGrainFactory grains)
    {
        var details = await Load(token, grains);
        return Results.Json(new
        {
            tokenId = details.Token.Id,
            user = details.Token.User,
            kind = details.Token.Kind == UserTokenKind.Invite ? "invite" : "reset",
            expiry = details.Token.Expires,
            otp_uri = details.OtpUri,
            qrCode = details.OtpUri.Length > 0 ? Convert.ToBase64String(OtpEnrolment.QrPng(details.OtpUri)) : "",
        });
    }

    private static async Task<IResult> Redeem(HttpContext context, IGrainFactory grains)
    {
        var request = await JsonBody.Read<RedeemRequest>(context.Request);
        var user = await RedeemToken(grains, request.Token ?? "", request.Password ?? "", request.SecondFactorToken ?? "", ClientAddress.Of(context));
        return Results.Json(new { user = user.Name, roles = user.Roles, otp_enrolled = user.HasOtp });
    }

    private sealed record RedeemRequest
    {
        [JsonPropertyName("token")] public string? Token { get; init; }
        [JsonPropertyName("password")] public string? Password { get; init; }
        [JsonPropertyName("second_factor_token")] public string? SecondFactorToken { get; init; }
    }
}

internal sealed record InviteDetails(UserToken Token, string OtpUri);
