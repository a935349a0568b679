using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Gateway.SshProxy;

/// <summary>
/// direct-tcpip on the proxy (OpenSSH <c>ssh -J</c>): the requested host:port is a node to route to, never an
/// arbitrary address. The SSH server splices the returned stream with the channel's flow control.
/// </summary>
internal sealed partial class ProxyForwardingHandler(ProxyConnections connections, ProxyUser user, Microsoft.Extensions.Logging.ILogger logger) : ISshForwardingHandler
{
    public async ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await connections.Open(user, request.Host, (int)request.Port, "direct-tcpip", cancellationToken);
        }
        catch (RouteException ex)
        {
            LogRefused(logger, user.Name, request.Host, (int)request.Port, ex.Message);
            return null;
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Refused {User} to {Host}:{Port}: {Reason}")]
    private static partial void LogRefused(Microsoft.Extensions.Logging.ILogger logger, string user, string host, int port, string reason);
}
