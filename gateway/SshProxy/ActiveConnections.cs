using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// The connections this gateway relays now, so that a lock created while they run ends them, as Teleport's locks
/// end sessions in progress. This also covers agentless OpenSSH nodes, which know nothing of the cluster's locks.
/// </summary>
internal sealed partial class ActiveConnections
{
    private readonly ConcurrentDictionary<AuditedStream, (ProxyUser User, Node Node)> _open = new();
    private readonly RoutingCache _cache;
    private readonly ILogger<ActiveConnections> _logger;

    public ActiveConnections(RoutingCache cache, ILogger<ActiveConnections> logger)
    {
        _cache = cache;
        _logger = logger;
        cache.LocksChanged += EndLocked;
    }

    public int Count => _open.Count;

    public void Add(AuditedStream stream, ProxyUser user, Node node)
    {
        _open[stream] = (user, node);
        // A lock that arrived between the route check and here still applies.
        EndIfLocked(stream, user, node);
    }

    public void Remove(AuditedStream stream) => _open.TryRemove(stream, out _);

    private void EndLocked()
    {
        foreach (var (stream, (user, node)) in _open)
        {
            EndIfLocked(stream, user, node);
        }
    }

    private void EndIfLocked(AuditedStream stream, ProxyUser user, Node node)
    {
        if (LockCheck.Find(_cache.Locks, user.Name, node.Name, node.Hostname) is not { } accessLock || !_open.TryRemove(stream, out _))
        {
            return;
        }

        LogEnded(_logger, user.Name, node.Hostname, accessLock.Name);
        // Closing the node side ends the splice; the client's channel closes and the session end is audited.
        _ = stream.DisposeAsync().AsTask();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended the connection of {User} to {Node}: lock {Lock} applies to it")]
    private static partial void LogEnded(ILogger logger, string user, string node, string @lock);
}
