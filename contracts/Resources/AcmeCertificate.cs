namespace Teleport.Orleans.Contracts.Resources;

/// <summary>A certificate an ACME server issued for one DNS name: the chain (leaf first) and its key, PEM.</summary>
[GenerateSerializer, Immutable]
public sealed record AcmeCertificate
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required string ChainPem { get; init; }

    [Id(2)] public required string KeyPem { get; init; }

    [Id(3)] public required DateTimeOffset NotBefore { get; init; }

    [Id(4)] public required DateTimeOffset NotAfter { get; init; }

    /// <summary>The ACME directory it came from: a certificate from another directory (staging) is replaced.</summary>
    [Id(5)] public required string Directory { get; init; }
}
