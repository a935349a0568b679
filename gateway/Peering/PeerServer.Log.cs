using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Peering;

internal sealed partial class PeerServer
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Peer listener on {Endpoint}, advertised to other gateways as {PublicAddr}")]
    private static partial void LogListening(ILogger logger, string endpoint, string publicAddr);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forwarding a connection from peer {Peer} (client {Client}) into the tunnel of node {HostId}")]
    private static partial void LogForwarding(ILogger logger, string hostId, string peer, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Peer connection from {Peer} ended: {Reason}")]
    private static partial void LogPeerFailed(ILogger logger, string peer, string reason);
}
