namespace Teleport.Orleans.Configuration;

/// <summary>teleport.connection_limits.</summary>
public sealed class ConnectionLimitsConfig
{
    /// <summary>max_connections: concurrent connections per client IP. Default 15000 (raise to 65000 at scale).</summary>
    public int MaxConnections { get; init; } = TeleportDefaults.MaxConnections;

    /// <summary>max_users: concurrent users. Default 250.</summary>
    public int MaxUsers { get; init; } = TeleportDefaults.MaxUsers;

    /// <summary>rates: request rates for unauthenticated endpoints (logins); empty: 20 a minute, bursts of 40, as Teleport.</summary>
    public IReadOnlyList<ConnectionRateConfig> Rates { get; init; } = [];
}

/// <summary>One teleport.connection_limits.rates entry: <c>average</c> requests per <c>period</c>, bursts of <c>burst</c>.</summary>
public sealed record ConnectionRateConfig(TimeSpan Period, int Average, int Burst);
