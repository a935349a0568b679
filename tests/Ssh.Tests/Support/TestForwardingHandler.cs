using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// Port forwarding as a node would allow it, on loopback only: direct-tcpip connects to 127.0.0.1/localhost,
/// tcpip-forward binds 127.0.0.1 (refusing the given ports). Records what it was asked.
/// </summary>
internal sealed class TestForwardingHandler(SshConnectionContext context, IReadOnlySet<uint> refusedPorts) : ISshForwardingHandler
{
    public SshConnectionContext Context { get; } = context;

    public ConcurrentQueue<SshDirectTcpIpRequest> DirectRequests { get; } = new();

    public ConcurrentQueue<(string Address, uint Port)> ListenRequests { get; } = new();

    public ConcurrentQueue<Listener> Listeners { get; } = new();

    /// <summary>Errors from <see cref="SshRemoteForward.ForwardAsync"/>, e.g. the client refusing the channel.</summary>
    public ConcurrentQueue<Exception> ForwardErrors { get; } = new();

    public async ValueTask<Stream?> ConnectAsync(SshDirectTcpIpRequest request, CancellationToken cancellationToken)
    {
        DirectRequests.Enqueue(request);
        if (request.Host is not ("127.0.0.1" or "localhost"))
        {
            return null;
        }

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, (int)request.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<ISshRemoteForwardListener?> ListenAsync(SshRemoteForward forward, CancellationToken cancellationToken)
    {
        ListenRequests.Enqueue((forward.Address, forward.Port));
        if (refusedPorts.Contains(forward.Port))
        {
            return ValueTask.FromResult<ISshRemoteForwardListener?>(null);
        }

        var listener = new Listener(forward, this);
        Listeners.Enqueue(listener);
        return ValueTask.FromResult<ISshRemoteForwardListener?>(listener);
    }

    /// <summary>A bound 127.0.0.1 port whose connections go back to the client through <see cref="SshRemoteForward.ForwardAsync"/>.</summary>
    internal sealed class Listener : ISshRemoteForwardListener
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _acceptLoop;

        public Listener(SshRemoteForward forward, TestForwardingHandler owner)
        {
            _listener = new TcpListener(IPAddress.Loopback, (int)forward.Port);
            _listener.Start();
            Port = (uint)((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptLoop = AcceptAsync(forward, owner);
        }

        public uint Port { get; }

        public bool IsStopped { get; private set; }

        public async ValueTask DisposeAsync()
        {
            IsStopped = true;
            await _stopping.CancelAsync();
            _listener.Stop();
            await _acceptLoop;
        }

        private async Task AcceptAsync(SshRemoteForward forward, TestForwardingHandler owner)
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stopping.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
                {
                    return;
                }

                var remote = (IPEndPoint)socket.RemoteEndPoint!;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await forward.ForwardAsync(new NetworkStream(socket, ownsSocket: true), remote.Address.ToString(), (uint)remote.Port);
                    }
                    catch (Exception ex)
                    {
                        owner.ForwardErrors.Enqueue(ex);
                    }
                });
            }
        }
    }
}
