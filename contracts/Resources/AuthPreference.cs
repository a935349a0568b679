namespace Teleport.Orleans.Contracts.Resources;

/// <summary>The cluster's <c>cluster_auth_preference</c>: local authentication with a second factor.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthPreference
{
    [Id(0)] public string Type { get; init; } = "local";
    [Id(1)] public SecondFactor SecondFactor { get; init; } = SecondFactor.Otp;
}

public enum SecondFactor
{
    Otp = 0,
    Off = 1,
}

[GenerateSerializer, Immutable]
public sealed record ClusterSettings
{
    [Id(0)] public required string ClusterName { get; init; }
    [Id(1)] public AuthPreference AuthPreference { get; init; } = new();
    [Id(2)] public string ProxyPublicAddr { get; init; } = "";
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
}
