using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Gateway.Acme;

namespace Teleport.Orleans.Gateway.Tests.Acme;

public sealed class AcmeJwsTests
{
    [Fact]
    public void Thumbprint_of_the_rfc_7638_example_key_matches_the_rfc()
    {
        // RFC 7638 section 3.1.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";

        var thumbprint = AcmeJws.Thumbprint([new("n", n), new("kty", "RSA"), new("e", "AQAB")]);

        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", thumbprint);
    }

    [Fact]
    public void Ec_thumbprint_hashes_crv_kty_x_y_in_that_order_without_spaces()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(false);
        var json = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{AcmeJws.Base64Url(p.Q.X)}\",\"y\":\"{AcmeJws.Base64Url(p.Q.Y)}\"}}";

        Assert.Equal(AcmeJws.Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(json))), AcmeJws.Thumbprint(key));
    }

    [Fact]
    public void Key_authorization_is_the_token_a_dot_and_the_account_key_thumbprint()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA." + AcmeJws.Thumbprint(key),
            AcmeJws.KeyAuthorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", key));
    }

    [Fact]
    public void New_account_request_carries_the_jwk_and_an_es256_signature_over_header_and_payload()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var jws = JsonNode.Parse(AcmeJws.Sign(key, "https://acme.test/new-account", "nonce-1", null, new JsonObject { ["termsOfServiceAgreed"] = true }))!;

        var header = JsonNode.Parse(AcmeJws.FromBase64Url(jws["protected"]!.GetValue<string>()))!;
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal("nonce-1", header["nonce"]!.GetValue<string>());
        Assert.Equal("https://acme.test/new-account", header["url"]!.GetValue<string>());
        Assert.Equal("EC", header["jwk"]!["kty"]!.GetValue<string>());
        Assert.Null(header["kid"]);
        Assert.True(JsonNode.Parse(AcmeJws.FromBase64Url(jws["payload"]!.GetValue<string>()))!["termsOfServiceAgreed"]!.GetValue<bool>());
        var signature = AcmeJws.FromBase64Url(jws["signature"]!.GetValue<string>());
        Assert.Equal(64, signature.Length);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(jws["protected"] + "." + jws["payload"]), signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void Post_as_get_has_an_empty_payload_and_names_the_account_by_kid()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var jws = JsonNode.Parse(AcmeJws.Sign(key, "https://acme.test/order/1", "nonce-2", "https://acme.test/acct/7", null))!;

        var header = JsonNode.Parse(AcmeJws.FromBase64Url(jws["protected"]!.GetValue<string>()))!;
        Assert.Equal("", jws["payload"]!.GetValue<string>());
        Assert.Equal("https://acme.test/acct/7", header["kid"]!.GetValue<string>());
        Assert.Null(header["jwk"]);
    }
}
