using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// Port forwarding on a node connection: local forwarding (direct-tcpip: ssh -L, -W) when the roles and the
/// certificate allow it (<see cref="NodeLogin.PortForwardingAllowed"/>); remote forwarding (tcpip-forward: ssh -R) on
/// loopback when they allow that (<see cref="NodeLogin.RemotePortForwardingAllowed"/>, <see cref="RemoteForwardListener"/>). Every
/// attempt is reported to the observer (port event). Under an <see cref="AccessMonitor"/>, forwards end when access ends.
/// </summary>
internal sealed partial class NodeForwardingHandler(SshConnectionContext context, INodeSessionObserver observer, ILogger logger, AccessMonitor? monitor = null)
    : ISshForwardingHandler
{
    private readonly NodeLogin? _login = context.AuthenticationState as NodeLogin;

    public async ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        var destination = request.Host + ":" + request.Port.ToString(CultureInfo.InvariantCulture);
        if (_login is null)
        {
            LogRefused(logger, context.UserName, destination);
            return null;
        }

        if (!_login.PortForwardingAllowed)
        {
            LogRefused(logger, _login.User, destination);
            await ReportAsync(_login, destination, allowed: false, "port forwarding is not permitted by the user's roles");
            return null;
        }

        // A connection whose access has ended makes no new connections from the node.
        var connection = monitor?.Track(context, _login);
        if (connection is not null && monitor!.Check(connection) is { } ended)
        {
            connection.End(ended);
            LogRefused(logger, _login.User, destination);
            await ReportAsync(_login, destination, allowed: false, ended);
            return null;
        }

        if (request.Port is 0 or > 65535)
        {
            await ReportAsync(_login, destination, allowed: false, "invalid port");
            return null;
        }

        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(request.Host, (int)request.Port, cancellationToken);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            client.Dispose();
            LogConnectFailed(logger, _login.User, destination, exception.Message);
            await ReportAsync(_login, destination, allowed: true, exception.Message);
            throw;
        }

        // The stream owns the socket, so the server's disposal of the stream closes the connection.
        Stream forwarded = new NetworkStream(client.Client, ownsSocket: true);
        if (connection is not null)
        {
            var (monitored, refusal) = ForwardedStream.Start(forwarded, connection);
            if (monitored is null)
            {
                LogRefused(logger, _login.User, destination);
                await ReportAsync(_login, destination, allowed: false, refusal);
                return null;
            }

            forwarded = monitored;
        }

        LogForwarding(logger, _login.User, destination);
        await ReportAsync(_login, destination, allowed: true, null);
        return forwarded;
    }

    public async ValueTask<ISshRemoteForwardListener?> ListenAsync(SshRemoteForward forward, CancellationToken cancellationToken)
    {
        var destination = $"{forward.Address}:{forward.Port.ToString(CultureInfo.InvariantCulture)}";
        if (_login is null)
        {
            LogRefused(logger, context.UserName, destination);
            return null;
        }

        var refusal =
            !_login.RemotePortForwardingAllowed ? "remote port forwarding is not permitted by the user's roles"
            : forward.Port is > 0 and < 1024 && Terminal.UnixUser.Lookup(_login.Login) is not { Uid: 0 } ? "only root may listen on a privileged port"
            : null;
        var connection = monitor?.Track(context, _login);
        if (refusal is null && connection is not null && monitor!.Check(connection) is { } ended)
        {
            connection.End(ended);
            refusal = ended;
        }

        if (refusal is not null)
        {
            LogRefused(logger, _login.User, destination);
            await ReportAsync(_login, destination, allowed: false, refusal);
            return null;
        }

        try
        {
            var listener = RemoteForwardListener.Start(forward, connection);
            LogRemoteForwarding(logger, _login.User, destination, listener.Port);
            await ReportAsync(_login, destination, allowed: true, null);
            return listener;
        }
        catch (SocketException exception)
        {
            LogConnectFailed(logger, _login.User, destination, exception.Message);
            await ReportAsync(_login, destination, allowed: true, exception.Message);
            return null;
        }
    }

    private async ValueTask ReportAsync(NodeLogin login, string destination, bool allowed, string? error)
    {
        try
        {
            await observer.PortForwardAsync(login, destination, allowed, error, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogReportFailed(logger, destination, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Port forwarding for {User} to {Destination} refused")]
    private static partial void LogRefused(ILogger logger, string user, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port forwarding for {User} to {Destination}")]
    private static partial void LogForwarding(ILogger logger, string user, string destination);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port forwarding for {User} to {Destination} failed: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string user, string destination, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remote port forwarding for {User} of {Destination} listens on loopback port {Port}")]
    private static partial void LogRemoteForwarding(ILogger logger, string user, string destination, uint port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting the port forward to {Destination} failed")]
    private static partial void LogReportFailed(ILogger logger, string destination, Exception exception);
}
