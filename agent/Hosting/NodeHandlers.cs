using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// Where the node service gets its session and forwarding handlers (agent/Sessions). Until those are wired in,
/// the node authenticates and audits but opens no shells: every channel request is refused.
/// </summary>
internal static class NodeHandlers
{
    public static Func<SshSessionContext, ISshSessionHandler> Sessions(NodeSessionOptions options, INodeSessionObserver observer, ILoggerFactory loggers) =>
        _ => new RefusingHandler();

    public static Func<SshConnectionContext, ISshForwardingHandler>? Forwarding(NodeSessionOptions options, INodeSessionObserver observer, ILoggerFactory loggers) =>
        null;

    private sealed class RefusingHandler : ISshSessionHandler;
}
