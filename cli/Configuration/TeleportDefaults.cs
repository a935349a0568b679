using System.Net;

namespace Teleport.Orleans.Configuration;

/// <summary>Teleport's defaults (lib/defaults), in one place so the model, the parser and the sample agree.</summary>
public static class TeleportDefaults
{
    public const string ConfigFile = "/etc/teleport.yaml";
    public const string DataDir = "/var/lib/teleport";

    /// <summary>Sub-directory of data_dir that holds the SQLite cluster state, as in Teleport.</summary>
    public const string BackendDir = "backend";

    public const int ProxyPeerPort = 3021;
    public const int ProxySshPort = 3023;
    public const int ProxyTunnelPort = 3024;
    public const int ProxyWebPort = 3080;
    public const int AuthPort = 3025;
    public const int NodeSshPort = 3022;

    public const int MaxConnections = 15000;
    public const int MaxUsers = 250;

    /// <summary>lib/defaults MaxWatcherBackoff: cap on the cache's retry backoff after a watcher fails.</summary>
    public static readonly TimeSpan CacheMaxBackoff = TimeSpan.FromSeconds(90);

    private static readonly Lazy<string> s_hostName = new(ResolveHostName);

    /// <summary>The machine's host name (Go's os.Hostname): the default nodename and cluster_name.</summary>
    public static string HostName => s_hostName.Value;

    private static string ResolveHostName()
    {
        try
        {
            // Environment.MachineName cuts at the first dot on Unix; Teleport uses the full name.
            var name = Dns.GetHostName();
            return string.IsNullOrWhiteSpace(name) ? Environment.MachineName : name;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return Environment.MachineName;
        }
    }
}
