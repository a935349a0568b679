using System.Net.Sockets;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Relay;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Identity;

namespace Teleport.Orleans.Gateway.Routing;

/// <summary>
/// Finds the node a client asked for (uuid, hostname or address, among agent and agentless nodes), refuses before
/// dialing when none of the user's roles could log in there, and connects to it.
/// </summary>
internal sealed class NodeRouter(RoutingCache cache, RoleSetCache roleSets, TunnelConnector connector, ProxyIdentityProvider identities)
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The node, or a <see cref="RouteException"/> saying why not (unknown, ambiguous, denied).</summary>
    public async Task<Node> Route(ProxyUser user, string host, int port)
    {
        await cache.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        var matches = Match(cache.Nodes, host, port);
        if (matches.Length == 0)
        {
            await cache.ReloadIfStale();
            matches = Match(cache.Nodes, host, port);
        }

        var node = matches.Length switch
        {
            0 => throw new RouteException($"node \"{host}\" is not registered in the cluster"),
            1 => matches[0],
            _ => throw new RouteException($"\"{host}\" matches {matches.Length} nodes; use the node's uuid"),
        };

        // The cached set keeps its per-label-set decisions: a session rate is not spent building role sets.
        if (!user.JoiningSession && !roleSets.Get(user.Roles, user.Traits).CanReachNode(node.AllLabels()))
        {
            throw new RouteException($"access denied to {user.Name} connecting to {host}");
        }

        if (LockCheck.Find(cache.Locks, user.Name, node.Name, node.Hostname) is { } accessLock)
        {
            throw new RouteException(LockCheck.Describe(accessLock, user.Name));
        }

        return node;
    }

    /// <summary>
    /// A connection to the node's SSH server: through its reverse tunnel when this gateway holds it, through the
    /// gateway that holds it (peer forwarding) when another does, else by TCP to its address.
    /// </summary>
    public async Task<Stream> Dial(Node node, string clientAddress, CancellationToken cancellationToken)
    {
        if (node.UseTunnel || node.Addr.Length == 0)
        {
            if (await DialTunnelWaiting(node, clientAddress, cancellationToken) is { } tunneled)
            {
                return tunneled;
            }

            if (node.Addr.Length == 0)
            {
                throw new RouteException($"node \"{node.Hostname}\" has no reverse tunnel to any gateway right now");
            }
        }

        var (host, port) = SplitAddr(node.Addr);
        var client = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DialTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            client.Dispose();
            throw new RouteException($"cannot connect to node \"{node.Hostname}\" at {node.Addr}: {ex.Message}");
        }

        var stream = client.GetStream();
        if (!node.IsAgentless && identities.Current is { } identity
            && RelayPreface.Create(identity.HostKey, identity.HostCertificate, clientAddress, node.Name, DateTimeOffset.UtcNow) is { } preface)
        {
            // Every connection the proxy dials comes from the proxy's address; this signed line vouches for the client
            // it relays, so that a Teleport node does not count them all against one address's share of its
            // unauthenticated connections, and serves each as from its client. OpenSSH would refuse the line.
            try
            {
                await stream.WriteAsync(RelayPreface.Encode(preface), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                client.Dispose();
                throw new RouteException($"cannot connect to node \"{node.Hostname}\" at {node.Addr}: {ex.Message}");
            }
        }

        return stream;
    }

    /// <summary>The node's tunnel wherever it is, waiting while it moves (<see cref="TunnelConnector"/>); null when no gateway holds one.</summary>
    private Task<Stream?> DialTunnelWaiting(Node node, string clientAddress, CancellationToken cancellationToken) =>
        connector.DialWaiting(
            new TunnelDestination(
                node.Name,
                $"node \"{node.Hostname}\"",
                "",
                () => (cache.Node(node.Name) ?? node).TunnelGateway,
                async () => (await cache.ReloadNode(node.Name))?.TunnelGateway),
            clientAddress,
            cancellationToken);

    internal static Node[] Match(IEnumerable<Node> nodes, string host, int port)
    {
        var all = nodes.ToArray();
        var byName = all.Where(n => string.Equals(n.Name, host, StringComparison.Ordinal)).ToArray();
        if (byName.Length > 0)
        {
            return byName;
        }

        var byHostname = all.Where(n => string.Equals(n.Hostname, host, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (byHostname.Length > 0)
        {
            return byHostname;
        }

        var exact = all.Where(n => string.Equals(n.Addr, $"{host}:{port}", StringComparison.OrdinalIgnoreCase)).ToArray();
        return exact.Length > 0 ? exact : [.. all.Where(n => n.Addr.Length > 0 && string.Equals(SplitAddr(n.Addr).Host, host, StringComparison.OrdinalIgnoreCase))];
    }

    private static (string Host, int Port) SplitAddr(string addr)
    {
        var colon = addr.LastIndexOf(':');
        return colon > 0 && int.TryParse(addr.AsSpan(colon + 1), out var port)
            ? (addr[..colon].Trim('[', ']'), port)
            : (addr, 22);
    }
}

/// <summary>Why the gateway will not connect a client to the node it asked for; the message is shown to the user.</summary>
internal sealed class RouteException(string message) : Exception(message);
