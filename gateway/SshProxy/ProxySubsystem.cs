namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>Teleport's <c>proxy:host:port[@cluster]</c> subsystem request, as tsh sends it.</summary>
internal sealed record ProxySubsystem(string Host, int Port, string Cluster)
{
    private const string Prefix = "proxy:";

    public static ProxySubsystem? TryParse(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = name[Prefix.Length..];
        var cluster = "";
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            // host:port@cluster, or the legacy host:port@namespace@cluster: the cluster is the last part.
            cluster = rest[(rest.LastIndexOf('@') + 1)..];
            rest = rest[..at];
        }

        if (rest.Length == 0)
        {
            return null;
        }

        var colon = rest.LastIndexOf(':');
        if (colon < 0)
        {
            return new ProxySubsystem(rest, 0, cluster);
        }

        return int.TryParse(rest.AsSpan(colon + 1), out var port) && port is >= 0 and < 65536 && colon > 0
            ? new ProxySubsystem(rest[..colon].Trim('[', ']'), port, cluster)
            : null;
    }
}
