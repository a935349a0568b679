namespace Teleport.Orleans.Contracts.Resources;

public enum CertAuthorityType
{
    /// <summary>Signs OpenSSH user certificates.</summary>
    User = 0,
    /// <summary>Signs OpenSSH host certificates.</summary>
    Host = 1,
    /// <summary>Signs X.509 identity certificates for mutual TLS.</summary>
    Tls = 2,
    /// <summary>Signs the JWTs the proxy hands to applications (RS256); its public keys are served at /.well-known/jwks.json.</summary>
    Jwt = 3,
}

/// <summary>A certificate authority's active key pair. Private material only ever leaves the CA grain for the signing workers.</summary>
[GenerateSerializer, Immutable]
public sealed record CertAuthorityKeys
{
    [Id(0)] public required CertAuthorityType Type { get; init; }
    [Id(1)] public required string ClusterName { get; init; }
    /// <summary>SSH CAs: the private key in OpenSSH format. TLS and JWT CAs: the PKCS#8 PEM key.</summary>
    [Id(2)] public required string PrivateKey { get; init; }
    /// <summary>SSH CAs: the <c>authorized_keys</c> public key line. TLS CA: the self-signed certificate PEM. JWT CA: the RSA public key PEM (SubjectPublicKeyInfo).</summary>
    [Id(3)] public required string Public { get; init; }
    [Id(4)] public required string Fingerprint { get; init; }
    /// <summary>Increases each time the key set changes, so signing workers know when to refresh.</summary>
    [Id(5)] public long Generation { get; init; }
}

/// <summary>What is published about a CA: its public half.</summary>
[GenerateSerializer, Immutable]
public sealed record CertAuthorityInfo
{
    [Id(0)] public required CertAuthorityType Type { get; init; }
    [Id(1)] public required string ClusterName { get; init; }
    [Id(2)] public required string Public { get; init; }
    [Id(3)] public required string Fingerprint { get; init; }
    [Id(4)] public long Generation { get; init; }
}
