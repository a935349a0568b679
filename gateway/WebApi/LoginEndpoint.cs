using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// <c>POST /v1/webapi/ssh/certs</c>: password (and OTP) login that returns short-lived certificates, as tsh login
/// uses it. The user grain checks the password, counts failures, locks and audits user.login with the client address.
/// Rate-limited per client address and per user (<see cref="LoginRateLimits"/>).
/// </summary>
internal static class LoginEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) =>
        routes.MapPost("/v1/webapi/ssh/certs", (HttpContext context, IGrainFactory grains, LoginRateLimits limits) =>
            WebApiError.Guard(() => Login(context, grains, limits)))
            .RequireRateLimiting(LoginRateLimits.PerAddress);

    private static async Task<IResult> Login(HttpContext context, IGrainFactory grains, LoginRateLimits limits)
    {
        var request = await JsonBody.Read<LoginRequest>(context.Request);
        if (string.IsNullOrEmpty(request.User) || string.IsNullOrEmpty(request.Password))
        {
            throw new BadRequestException("user and password are required");
        }

        if (limits.CheckUser(context, request.User) is { } tooMany)
        {
            return tooMany;
        }

        var sshKey = ParsePublicKey(request.PubKey);
        var tlsKey = ParseTlsKey(request.TlsPubKey) ?? sshKey?.ExportSubjectPublicKeyInfo() ?? [];
        if (sshKey is null && tlsKey.Length == 0)
        {
            throw new BadRequestException("pub_key is required: an OpenSSH public key line");
        }

        var address = ClientAddress.Of(context);
        var result = await grains.GetGrain<IUserLoginGrain>(0).Login(new UserLoginRequest
        {
            User = request.User,
            Password = request.Password,
            OtpCode = request.OtpToken ?? "",
            SshPublicKey = sshKey?.ToAuthorizedKeysLine() ?? "",
            TlsPublicKey = tlsKey,
            Ttl = request.Ttl > 0 ? TimeSpan.FromSeconds(request.Ttl) : TimeSpan.Zero,
            ClientAddress = address,
        }, new Caller { Name = request.User, Address = address, Roles = ["Proxy"] });
        if (result.Certificates is not { } certificates)
        {
            return Refused(result);
        }

        return Results.Json(new
        {
            username = request.User,
            cert = certificates.SshCertificate,
            tls_cert = certificates.TlsCertificatePem,
            host_signers = new[]
            {
                new
                {
                    domain_name = certificates.ClusterName,
                    checking_keys = new[] { certificates.HostCaPublicKey },
                    tls_certs = new[] { certificates.TlsCaPem },
                },
            },
            logins = certificates.Logins,
            valid_before = certificates.ValidBefore,
        });
    }

    /// <summary>
    /// A failed password login as the web API answers it (tsh login and the web UI alike): wrong credentials 401, a
    /// locked account 403 with the time it unlocks.
    /// </summary>
    public static IResult Refused(UserLoginResult result)
    {
        var message = result.ToException().Message;
        return result.Failure == LoginFailure.Locked
            ? Results.Json(new { error = new { message, locked_until = result.LockedUntil } }, statusCode: StatusCodes.Status403Forbidden)
            : WebApiError.Of(StatusCodes.Status401Unauthorized, message);
    }

    private static SshPublicKey? ParsePublicKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            // Teleport's Go client sends the key as base64 of the authorized_keys bytes; tools send the line itself.
            var line = text.Contains(' ', StringComparison.Ordinal) ? text : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text));
            return SshPublicKey.Parse(line.Trim());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidDataException or NotSupportedException)
        {
            throw new BadRequestException($"pub_key is not an OpenSSH public key: {ex.Message}");
        }
    }

    private static byte[]? ParseTlsKey(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            if (text.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
            {
                return System.Security.Cryptography.PemEncoding.TryFind(text, out var fields)
                    ? Convert.FromBase64String(text[fields.Base64Data])
                    : throw new FormatException("no PEM block");
            }

            return Convert.FromBase64String(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new BadRequestException($"tls_pub_key is not a PEM or base64 DER public key: {ex.Message}");
        }
    }

    private sealed record LoginRequest
    {
        [JsonPropertyName("user")] public string? User { get; init; }
        [JsonPropertyName("password")] public string? Password { get; init; }
        [JsonPropertyName("otp_token")] public string? OtpToken { get; init; }
        [JsonPropertyName("pub_key")] public string? PubKey { get; init; }
        [JsonPropertyName("tls_pub_key")] public string? TlsPubKey { get; init; }
        /// <summary>Seconds; zero takes the role's default.</summary>
        [JsonPropertyName("ttl")] public long Ttl { get; init; }
    }
}
