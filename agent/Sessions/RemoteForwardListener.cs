using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// The node's side of one remote forward (ssh -R): a listener on loopback, as sshd with GatewayPorts=no binds
/// whatever address the client names, each accepted connection carried back to the client as a "forwarded-tcpip"
/// channel. Under an access monitor the connections keep the SSH connection from idling and end when access ends.
/// </summary>
internal sealed class RemoteForwardListener : ISshRemoteForwardListener
{
    private readonly TcpListener _listener;
    private readonly SshRemoteForward _forward;
    private readonly MonitoredConnection? _monitored;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private RemoteForwardListener(TcpListener listener, SshRemoteForward forward, MonitoredConnection? monitored)
    {
        _listener = listener;
        _forward = forward;
        _monitored = monitored;
        _accepting = Task.Run(AcceptAsync);
    }

    public uint Port => (uint)((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens for <paramref name="forward"/>; throws <see cref="SocketException"/> when the port is taken.</summary>
    public static RemoteForwardListener Start(SshRemoteForward forward, MonitoredConnection? monitored)
    {
        var address = forward.Address == "::1" ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        var listener = new TcpListener(address, (int)forward.Port);
        try
        {
            listener.Start();
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new RemoteForwardListener(listener, forward, monitored);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(accepted);
        }
    }

    private async Task ForwardAsync(Socket accepted)
    {
        accepted.NoDelay = true;
        var origin = (IPEndPoint)accepted.RemoteEndPoint!;
        Stream connection = new NetworkStream(accepted, ownsSocket: true);
        if (_monitored is not null)
        {
            var (monitored, _) = ForwardedStream.Start(connection, _monitored);
            if (monitored is null)
            {
                return;
            }

            connection = monitored;
        }

        try
        {
            await _forward.ForwardAsync(connection, origin.Address.ToString(), (uint)origin.Port, _stopping.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client refused the channel or the connection ended: this connection closes, the listener goes on.
        }
    }
}
