using System.Globalization;

namespace Teleport.Orleans.Cli.Tsh.Proxy;

/// <summary>"[login@]host[:port]" as tsh ssh and tsh proxy ssh take it; port 0 lets the proxy use the node's registered port.</summary>
internal sealed record NodeTarget(string? Login, string Host, int Port)
{
    public static NodeTarget Parse(string text, int port = 0)
    {
        var at = text.LastIndexOf('@');
        var login = at < 0 ? null : text[..at];
        var hostPort = at < 0 ? text : text[(at + 1)..];
        var colon = hostPort.LastIndexOf(':');
        if (colon > 0 && !hostPort.EndsWith(']') && hostPort.IndexOf(':') == colon)
        {
            if (!int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            {
                throw new TshException($"'{text}': the port after ':' must be a number.");
            }

            hostPort = hostPort[..colon];
        }

        hostPort = hostPort.Trim('[', ']');
        if (hostPort.Length == 0 || login is { Length: 0 })
        {
            throw new TshException($"'{text}' is not a node: expected [login@]host.");
        }

        return new NodeTarget(login, hostPort, port);
    }

    /// <summary>The host with the cluster suffix OpenSSH config adds ("node.cluster") removed, as the proxy knows nodes by name.</summary>
    public NodeTarget WithoutClusterSuffix(string cluster) =>
        Host.EndsWith("." + cluster, StringComparison.OrdinalIgnoreCase) ? this with { Host = Host[..^(cluster.Length + 1)] } : this;

    /// <summary>The proxy subsystem that dials this node (Teleport's <c>proxy:host:port@cluster</c>).</summary>
    public string Subsystem(string cluster) => string.Create(CultureInfo.InvariantCulture, $"proxy:{Host}:{Port}@{cluster}");
}
