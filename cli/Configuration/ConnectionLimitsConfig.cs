namespace Teleport.Orleans.Configuration;

/// <summary>teleport.connection_limits.</summary>
public sealed class ConnectionLimitsConfig
{
    /// <summary>max_connections: concurrent connections per client IP. Default 15000 (raise to 65000 at scale).</summary>
    public int MaxConnections { get; init; } = TeleportDefaults.MaxConnections;

    /// <summary>max_users: concurrent users. Default 250.</summary>
    public int MaxUsers { get; init; } = TeleportDefaults.MaxUsers;
}
