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

    /// <summary>
    /// The web session the user acts through, when the call comes from the web UI: the auth service checks it on calls
    /// from a proxy apart from it and takes the name and roles from the session, not from the proxy's word.
    /// </summary>
    [Id(3)] public WebSessionProof? WebSession { get; init; }

    /// <summary>The auth service acting on its own behalf (bootstrap, expiry).</summary>
    public static Caller System { get; } = new() { Name = "system", Roles = ["Admin"] };
}

/// <summary>A web session's id and its bearer token's hash: what a proxy holds while the user's browser calls it.</summary>
[GenerateSerializer, Immutable]
public sealed record WebSessionProof
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string BearerHash { get; init; }
}
