namespace Teleport.Orleans.Contracts.Resources;

/// <summary>The cluster's account at one ACME directory: its P-256 key (PKCS#8 PEM) and the account URL.</summary>
[GenerateSerializer, Immutable]
public sealed record AcmeAccount
{
    [Id(0)] public required string KeyPem { get; init; }

    [Id(1)] public string? Url { get; init; }
}
