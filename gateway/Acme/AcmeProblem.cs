namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// An ACME error (RFC 8555 section 6.7: an application/problem+json body), or a transport failure talking to the
/// server. <see cref="RetryAfter"/> is the server's Retry-After when it gave one (rate limits, 503).
/// </summary>
internal sealed class AcmeProblem(string message, string? type = null, int status = 0, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public const string BadNonce = "urn:ietf:params:acme:error:badNonce";

    public const string RateLimited = "urn:ietf:params:acme:error:rateLimited";

    public string? Type { get; } = type;

    public int Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
