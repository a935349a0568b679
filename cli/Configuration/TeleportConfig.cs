namespace Teleport.Orleans.Configuration;

/// <summary>
/// A parsed teleport.yaml (config version v3). Every section is present with defaults filled, so hosts read
/// values without null checks: a missing <c>auth_service</c> section means an enabled Auth Service, as in Teleport.
/// </summary>
public sealed class TeleportConfig
{
    /// <summary>The only configuration version this implementation reads.</summary>
    public const string SupportedVersion = "v3";

    public string Version { get; init; } = SupportedVersion;

    /// <summary>The <c>teleport:</c> section: settings of the process itself.</summary>
    public TeleportProcessConfig Teleport { get; init; } = new();

    public AuthServiceConfig AuthService { get; init; } = new();

    public ProxyServiceConfig ProxyService { get; init; } = new();

    public SshServiceConfig SshService { get; init; } = new();

    public AppServiceConfig AppService { get; init; } = new();

    /// <summary>
    /// The all-in-one configuration used when <c>teleport start</c> gets no file: Auth, Proxy and SSH in one
    /// process, cluster state in SQLite under <paramref name="dataDir"/>, cluster named after the host.
    /// </summary>
    public static TeleportConfig Default(string dataDir = TeleportDefaults.DataDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        return new TeleportConfig
        {
            Teleport = new TeleportProcessConfig
            {
                DataDir = dataDir,
                Storage = new StorageConfig { Type = StorageType.Sqlite, Path = System.IO.Path.Combine(dataDir, TeleportDefaults.BackendDir) },
            },
            AuthService = new AuthServiceConfig { ClusterName = TeleportDefaults.HostName },
        };
    }
}
