using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// A plain server-rendered page for the link <c>tctl users add</c> prints: set a password and enrol TOTP by scanning
/// a QR code, without any tooling. The token in the path is the secret, so the form needs no other credential.
/// </summary>
internal static class InvitePage
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var kind in new[] { "invite", "reset" })
        {
            routes.MapGet($"/web/{kind}/{{token}}", async (string token, IGrainFactory grains) => await Render(token, grains, null));
            routes.MapPost($"/web/{kind}/{{token}}", async (string token, HttpContext context, IGrainFactory grains) => await Submit(token, context, grains))
                .RequireRateLimiting(LoginRateLimits.PerAddress);
        }
    }

    private static async Task<IResult> Submit(string token, HttpContext context, IGrainFactory grains)
    {
        if (!context.Request.HasFormContentType)
        {
            return await Render(token, grains, "submit the form on this page");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var password = form["password"].ToString();
        if (password != form["password_confirm"].ToString())
        {
            return await Render(token, grains, "the two passwords differ");
        }

        try
        {
            var user = await InviteEndpoints.RedeemToken(grains, token, password, form["otp_code"].ToString().Trim(), ClientAddress.Of(context));
            return Page("Account ready", $"<p>The password for <b>{Html(user.Name)}</b> is set. Log in with <code>tsh login --user={Html(user.Name)}</code>.</p>", 200);
        }
        catch (Exception ex) when (ex is AuthException or BadRequestException)
        {
            return await Render(token, grains, ex.Message);
        }
    }

    private static async Task<IResult> Render(string token, IGrainFactory grains, string? error)
    {
        InviteDetails details;
        try
        {
            details = await InviteEndpoints.Load(token, grains);
        }
        catch (AuthException ex)
        {
            return Page("Invalid link", $"<p class=\"error\">{Html(ex.Message)}</p><p>Ask an administrator for a new one.</p>", WebApiError.StatusFor(ex.Kind));
        }

        var body = new StringBuilder();
        body.Append($"<p>Set a password for <b>{Html(details.Token.User)}</b>. This link expires {details.Token.Expires.UtcDateTime:yyyy-MM-dd HH:mm} UTC.</p>");
        if (error is not null)
        {
            body.Append($"<p class=\"error\">{Html(error)}</p>");
        }

        body.Append("<form method=\"post\">");
        body.Append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" required></label>");
        body.Append("<label>Confirm password <input type=\"password\" name=\"password_confirm\" autocomplete=\"new-password\" required></label>");
        if (details.OtpUri.Length > 0)
        {
            var png = Convert.ToBase64String(OtpEnrolment.QrPng(details.OtpUri));
            body.Append("<p>Scan this code with an authenticator app, then enter the code it shows.</p>");
            body.Append($"<img alt=\"TOTP QR code\" src=\"data:image/png;base64,{png}\">");
            body.Append($"<p><small>Or enter the secret by hand: <code>{Html(details.Token.OtpSecret)}</code></small></p>");
            body.Append("<label>Authenticator code <input name=\"otp_code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required></label>");
        }

        body.Append("<button type=\"submit\">Set password</button></form>");
        return Page("Welcome to Teleport", body.ToString(), error is null ? 200 : 400);
    }

    private static IResult Page(string title, string body, int status) => Results.Content(
        $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{Html(title)}}</title>
        <style>body{font-family:sans-serif;max-width:32em;margin:3em auto}label{display:block;margin:.8em 0}input{display:block;width:100%}.error{color:#b00}</style>
        </head><body><h1>{{Html(title)}}</h1>{{body}}</body></html>
        """, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
