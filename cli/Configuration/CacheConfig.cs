namespace Teleport.Orleans.Configuration;

/// <summary>teleport.cache: the local cache of cluster state that keeps reads off the backend.</summary>
public sealed class CacheConfig
{
    public const string InMemory = "in-memory";

    /// <summary>enabled: default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>type: "in-memory" (default) or "sqlite".</summary>
    public string Type { get; init; } = InMemory;

    /// <summary>max_backoff: cap on the retry backoff after an error; 8-16m on large clusters avoids a thundering herd.</summary>
    public TimeSpan MaxBackoff { get; init; } = TeleportDefaults.CacheMaxBackoff;
}
