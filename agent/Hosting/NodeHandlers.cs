using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>The node's session and forwarding handlers (agent/Sessions), bound to this node and its observer.</summary>
internal static class NodeHandlers
{
    public static Func<SshSessionContext, ISshSessionHandler> Sessions(
        NodeSessionOptions options, INodeSessionObserver observer, ILoggerFactory loggers, Func<IPEndPoint?> serverEndPoint, AccessMonitor monitor)
    {
        var logger = loggers.CreateLogger<NodeSessionHandler>();
        return context => new NodeSessionHandler(context, options, observer, logger, serverEndPoint(), monitor: monitor);
    }

    public static Func<SshConnectionContext, ISshForwardingHandler> Forwarding(INodeSessionObserver observer, ILoggerFactory loggers, AccessMonitor monitor)
    {
        var logger = loggers.CreateLogger<NodeForwardingHandler>();
        return context => new NodeForwardingHandler(context, observer, logger, monitor);
    }
}
