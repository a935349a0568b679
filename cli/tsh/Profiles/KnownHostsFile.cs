using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>
/// ~/.tsh/known_hosts: one <c>@cert-authority</c> line per host CA key of a cluster, for the cluster's nodes
/// (<c>*.cluster</c>), the cluster name and the proxy host, so OpenSSH trusts the same host certificates tsh does.
/// </summary>
internal static class KnownHostsFile
{
    private const string Marker = "@cert-authority";

    /// <summary>The host patterns of a cluster's lines.</summary>
    public static string Patterns(string cluster, string proxyHost) =>
        string.Equals(proxyHost, cluster, StringComparison.OrdinalIgnoreCase) ? $"*.{cluster},{cluster}" : $"*.{cluster},{cluster},{proxyHost}";

    public static IEnumerable<string> Lines(string cluster, string proxyHost, IEnumerable<SshPublicKey> hostCaKeys) =>
        hostCaKeys.Select(key => $"{Marker} {Patterns(cluster, proxyHost)} {key.ToAuthorizedKeysLine()} type=host");

    /// <summary>The file's new text: the cluster's earlier lines replaced by <paramref name="hostCaKeys"/>, other lines kept as they were.</summary>
    public static string Merge(string existing, string cluster, string proxyHost, IEnumerable<SshPublicKey> hostCaKeys)
    {
        var prefix = $"{Marker} {Patterns(cluster, proxyHost)} ";
        var kept = existing.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !l.StartsWith(prefix, StringComparison.Ordinal));
        return string.Join('\n', kept.Concat(Lines(cluster, proxyHost, hostCaKeys))) + "\n";
    }

    /// <summary>The host CA keys recorded for <paramref name="cluster"/>.</summary>
    public static IReadOnlyList<SshPublicKey> HostCaKeys(string text, string cluster)
    {
        var keys = new List<SshPublicKey>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 4 && fields[0] == Marker && fields[1].Split(',').Contains($"*.{cluster}", StringComparer.OrdinalIgnoreCase))
            {
                keys.Add(SshPublicKey.Parse($"{fields[2]} {fields[3]}"));
            }
        }

        return keys;
    }
}
