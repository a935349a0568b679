using System.Text.Json.Serialization;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>RFC 8555 section 7.1.1.</summary>
internal sealed record AcmeDirectory(
    [property: JsonPropertyName("newNonce")] string NewNonce,
    [property: JsonPropertyName("newAccount")] string NewAccount,
    [property: JsonPropertyName("newOrder")] string NewOrder);

/// <summary>RFC 8555 section 7.1.3; <see cref="Url"/> is the Location the server gave it.</summary>
internal sealed record AcmeOrder(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("authorizations")] string[] Authorizations,
    [property: JsonPropertyName("finalize")] string Finalize,
    [property: JsonPropertyName("certificate")] string? Certificate,
    [property: JsonPropertyName("error")] AcmeError? Error)
{
    [JsonIgnore]
    public string Url { get; init; } = "";
}

/// <summary>RFC 8555 section 7.1.4.</summary>
internal sealed record AcmeAuthorization(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("identifier")] AcmeIdentifier Identifier,
    [property: JsonPropertyName("challenges")] AcmeChallenge[] Challenges);

internal sealed record AcmeIdentifier(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string Value);

/// <summary>RFC 8555 section 8.</summary>
internal sealed record AcmeChallenge(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("error")] AcmeError? Error);

/// <summary>A problem document (RFC 7807) as ACME sends it.</summary>
internal sealed record AcmeError(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("detail")] string? Detail,
    [property: JsonPropertyName("status")] int Status)
{
    public override string ToString() => $"{Detail ?? "no detail"} ({Type ?? "no type"})";
}
