using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Identity;

namespace Teleport.Orleans.Grains.Apps;

/// <summary>
/// Signs the JWT an app receives in <c>teleport-jwt-assertion</c>: RS256 with the JWT CA's key, Teleport's claims
/// (username, roles, traits, sub, iss = cluster, aud = app URI, nbf = now - 10 s, iat, exp). The key id is the
/// base64url SHA-256 of the public key, which /.well-known/jwks.json publishes as <c>kid</c>.
/// </summary>
internal static class AppJwt
{
    public static string Sign(
        string privateKeyPem, string clusterName, string user, string[] roles, Dictionary<string, string[]> traits,
        string audience, DateTimeOffset now, DateTimeOffset expires)
    {
        using var key = RSA.Create();
        key.ImportFromPem(privateKeyPem);
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = JwtKeys.KeyId(key.ExportSubjectPublicKeyInfo()) };
        var traitsJson = new JsonObject();
        foreach (var (name, values) in traits)
        {
            traitsJson[name] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        }

        var claims = new JsonObject
        {
            ["aud"] = new JsonArray(JsonValue.Create(audience)),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = clusterName,
            ["nbf"] = now.AddSeconds(-10).ToUnixTimeSeconds(),
            ["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]),
            ["sub"] = user,
            ["traits"] = traitsJson,
            ["username"] = user,
        };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => JwtKeys.Base64Url(bytes);
}
