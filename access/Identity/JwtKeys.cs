using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Access.Identity;

/// <summary>The JWT CA's public key as applications see it: its key id and its JSON Web Key (RFC 7517).</summary>
public static class JwtKeys
{
    /// <summary>The <c>kid</c>: base64url of the SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyId(byte[] subjectPublicKeyInfo) => Base64Url(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>The RSA public key (PEM) as one entry of a JWKS <c>keys</c> array.</summary>
    public static JsonObject ToJwk(string publicKeyPem)
    {
        using var key = RSA.Create();
        key.ImportFromPem(publicKeyPem);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["kid"] = KeyId(key.ExportSubjectPublicKeyInfo()),
            ["n"] = Base64Url(parameters.Modulus!),
            ["e"] = Base64Url(parameters.Exponent!),
        };
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
