using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Teleport.Orleans.Gateway.WebSessions;

/// <summary>
/// Teleport's <c>__Host-session</c> cookie: hex of <c>{"user":..,"sid":..}</c>; HttpOnly, Secure, SameSite=Lax,
/// Path=/ (the <c>__Host-</c> prefix makes browsers refuse it otherwise).
/// </summary>
internal static class WebSessionCookie
{
    public const string Name = "__Host-session";

    public static void Set(HttpResponse response, string user, string sessionId, DateTimeOffset expires)
    {
        var value = Convert.ToHexStringLower(JsonSerializer.SerializeToUtf8Bytes(new CookieValue(user, sessionId)));
        response.Cookies.Append(Name, value, Options(expires));
    }

    public static void Clear(HttpResponse response) => response.Cookies.Delete(Name, Options(null));

    /// <summary>The user and session id the cookie names, or null when there is none or it is not ours.</summary>
    public static (string User, string SessionId)? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var value) ? Decode(value) : null;

    public static (string User, string SessionId)? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 1024)
        {
            return null;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize<CookieValue>(Encoding.UTF8.GetString(Convert.FromHexString(value)));
            return parsed is { User.Length: > 0, SessionId.Length: > 0 } ? (parsed.User, parsed.SessionId) : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static CookieOptions Options(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
    };

    private sealed record CookieValue([property: JsonPropertyName("user")] string User, [property: JsonPropertyName("sid")] string SessionId);
}
