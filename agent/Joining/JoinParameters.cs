namespace Teleport.Orleans.Agent.Joining;

/// <summary>How to join: the token and where to present it (an auth server, or a proxy's web API).</summary>
internal sealed record JoinParameters
{
    public required string Token { get; init; }

    /// <summary>The system role to join as: Node, or Proxy for a proxy-only process.</summary>
    public string Role { get; init; } = "Node";

    /// <summary>host:port of an auth server (gRPC, 3025).</summary>
    public string? AuthServer { get; init; }

    /// <summary>host:port of a proxy's web listener (3080); used when no auth server is given.</summary>
    public string? ProxyServer { get; init; }

    /// <summary>teleport.ca_pin: trusted pins of the cluster's TLS CA; empty means trust on first use.</summary>
    public IReadOnlyList<string> CaPins { get; init; } = [];

    /// <summary>
    /// teleport start --insecure: join through a proxy whose web certificate this host does not trust (a self-signed
    /// one). Without it the token is sent only to a proxy whose certificate verifies, as in Teleport.
    /// </summary>
    public bool Insecure { get; init; }

    /// <summary>Extra SSH principals and DNS names for the host certificate (advertise address, public_addr).</summary>
    public IReadOnlyList<string> AdditionalPrincipals { get; init; } = [];
}
