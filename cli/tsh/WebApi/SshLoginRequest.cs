using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>The body of <c>POST /v1/webapi/ssh/certs</c> (Teleport's CreateSSHCertReq, the fields tsh sends).</summary>
internal sealed record SshLoginRequest(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("otp_token")] string OtpToken,
    [property: JsonPropertyName("pub_key")] string PublicKey,
    [property: JsonPropertyName("ttl")] long TtlSeconds);
