using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// One certificate for one name: order, TLS-ALPN-01 for each authorization (the key authorization published through
/// <c>publish</c> while the server validates, withdrawn after), finalize with a fresh P-256 key's CSR, download.
/// </summary>
internal static class AcmeOrderer
{
    public static async Task<AcmeCertificate> ObtainAsync(
        AcmeClient client, ECDsa accountKey, string name, Func<string, string?, Task> publish, CancellationToken cancellationToken)
    {
        var order = await client.NewOrderAsync([name], cancellationToken);
        foreach (var url in order.Authorizations)
        {
            var authorization = await client.GetAuthorizationAsync(url, cancellationToken);
            if (authorization.Status == "valid")
            {
                continue;
            }

            var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == TlsAlpnChallenge.ChallengeType && c.Token is not null)
                ?? throw new AcmeProblem($"the ACME server offers no {TlsAlpnChallenge.ChallengeType} challenge for {authorization.Identifier.Value}");
            var identifier = authorization.Identifier.Value;
            await publish(identifier, AcmeJws.KeyAuthorization(challenge.Token!, accountKey));
            try
            {
                await client.RespondAsync(challenge, cancellationToken);
                authorization = await client.WaitAuthorizationAsync(url, cancellationToken);
            }
            finally
            {
                await publish(identifier, null);
            }

            if (authorization.Status != "valid")
            {
                var error = authorization.Challenges.FirstOrDefault(c => c.Type == TlsAlpnChallenge.ChallengeType)?.Error;
                throw new AcmeProblem($"the ACME server could not validate {identifier} with {TlsAlpnChallenge.ChallengeType}: {error?.Detail ?? authorization.Status}", error?.Type);
            }
        }

        order = await client.WaitOrderAsync(order, cancellationToken);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        order = await client.FinalizeAsync(order, SigningRequest(name, key), cancellationToken);
        order = await client.WaitOrderAsync(order, cancellationToken);
        if (order.Status != "valid" || order.Certificate is null)
        {
            throw new AcmeProblem($"the ACME order for {name} ended {order.Status}: {order.Error?.ToString() ?? "no certificate"}", order.Error?.Type);
        }

        var chain = await client.DownloadAsync(order.Certificate, cancellationToken);
        using var leaf = X509Certificate2.CreateFromPem(chain);
        return new AcmeCertificate
        {
            Name = name,
            ChainPem = chain,
            KeyPem = key.ExportPkcs8PrivateKeyPem(),
            NotBefore = leaf.NotBefore.ToUniversalTime(),
            NotAfter = leaf.NotAfter.ToUniversalTime(),
            Directory = "",
        };
    }

    /// <summary>A PKCS#10 request (DER) for the name: subject CN and subjectAltName dNSName.</summary>
    public static byte[] SigningRequest(string name, ECDsa key)
    {
        // CN is limited to 64 characters; the SAN alone is enough for ACME servers.
        var subject = name.Length <= 64 ? new X500DistinguishedName("CN=" + name) : new X500DistinguishedName("");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSigningRequest();
    }
}
