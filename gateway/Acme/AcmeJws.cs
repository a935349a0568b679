using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// The JSON Web Signatures an ACME server accepts (RFC 8555 section 6.2, RFC 7515 flattened JSON): ES256 with a P-256
/// account key, the public key as a JWK (RFC 7517) on newAccount and the account URL (kid) afterwards.
/// </summary>
internal static class AcmeJws
{
    /// <summary>The account key's public half as a JWK: only the required members, as RFC 7638 hashes them.</summary>
    public static JsonObject Jwk(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["crv"] = "P-256",
            ["kty"] = "EC",
            ["x"] = Base64Url(p.Q.X!),
            ["y"] = Base64Url(p.Q.Y!),
        };
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, without white space, base64url.</summary>
    public static string Thumbprint(IEnumerable<KeyValuePair<string, string>> requiredMembers)
    {
        var json = new StringBuilder("{");
        foreach (var (name, value) in requiredMembers.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.Append(JsonSerializer.Serialize(name)).Append(':').Append(JsonSerializer.Serialize(value));
        }

        json.Append('}');
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    public static string Thumbprint(ECDsa key) =>
        Thumbprint(Jwk(key).Select(m => KeyValuePair.Create(m.Key, m.Value!.GetValue<string>())));

    /// <summary>
    /// A signed request body. <paramref name="payload"/> null is a POST-as-GET (empty payload); <paramref name="kid"/>
    /// null puts the JWK in the header (newAccount).
    /// </summary>
    public static string Sign(ECDsa key, string url, string nonce, string? kid, JsonNode? payload)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["nonce"] = nonce, ["url"] = url };
        if (kid is null)
        {
            header["jwk"] = Jwk(key);
        }
        else
        {
            header["kid"] = kid;
        }

        var protectedPart = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var payloadPart = payload is null ? "" : Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        // ES256 signatures are R || S, 32 bytes each (RFC 7518 section 3.4): .NET's IEEE P1363 format.
        var signature = key.SignData(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new JsonObject
        {
            ["protected"] = protectedPart,
            ["payload"] = payloadPart,
            ["signature"] = Base64Url(signature),
        }.ToJsonString();
    }

    /// <summary>RFC 8555 section 8.1: token "." thumbprint of the account key.</summary>
    public static string KeyAuthorization(string token, ECDsa accountKey) => token + "." + Thumbprint(accountKey);

    public static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - (s.Length % 4)) % 4));
    }
}
