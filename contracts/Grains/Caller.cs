namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The verified identity behind a grain call, as established at the boundary (gRPC certificate, web login).
/// Grains record it in audit events; they do not authorize on it, because the boundary already has.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Caller
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string[] Roles { get; init; } = [];
    [Id(2)] public string Address { get; init; } = "";

    /// <summary>The auth service acting on its own behalf (bootstrap, expiry).</summary>
    public static Caller System { get; } = new() { Name = "system", Roles = ["Admin"] };
}
