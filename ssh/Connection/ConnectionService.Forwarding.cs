using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Port forwarding (RFC 4254 §7): the forwarding handler, and direct-tcpip channels (ssh -L, -W, -J).</summary>
internal sealed partial class ConnectionService
{
    private readonly CancellationTokenSource _lifetime = new();
    private ISshForwardingHandler? _forwardingHandler;
    private bool _forwardingHandlerCreated;
    private int _forwardingChannels;

    private ISshForwardingHandler? ForwardingHandler
    {
        get
        {
            if (!_forwardingHandlerCreated && forwardingHandlerFactory is not null)
            {
                _forwardingHandlerCreated = true;
                try
                {
                    _forwardingHandler = forwardingHandlerFactory(_context);
                }
                catch (Exception ex)
                {
                    LogForwardingHandlerFailed(logger, ex, "create");
                }
            }

            return _forwardingHandler;
        }
    }

    private async Task OnDirectTcpIpOpenAsync(uint senderId, uint window, uint maxPacket, byte[] data, CancellationToken cancellationToken)
    {
        var request = SshDirectTcpIpRequest.Read(data);
        var handler = ForwardingHandler;
        var (failure, description) =
            handler is null ? (ChannelOpenFailure.AdministrativelyProhibited, "Port forwarding is not permitted.")
            : maxPacket == 0 ? (ChannelOpenFailure.ConnectFailed, "A maximum packet size of 0 cannot carry data.")
            : (default(ChannelOpenFailure), "");
        if (failure == default && Interlocked.Increment(ref _forwardingChannels) > limits.MaxForwardingChannels)
        {
            Interlocked.Decrement(ref _forwardingChannels);
            (failure, description) = (ChannelOpenFailure.ResourceShortage, "Too many forwarding channels.");
        }

        if (failure != default)
        {
            await RefuseChannelAsync("direct-tcpip", senderId, failure, description, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The client may use the channel only once confirmed, after the handler has connected.
        var channel = new TcpIpChannel(transport, NextChannelId(), senderId, window, maxPacket, OnForwardingChannelClosed, logger) { IsOpen = false };
        _channels[channel.LocalId] = channel;
        _ = Task.Run(() => ConnectDirectTcpIpAsync(handler!, channel, senderId, request));
    }

    private async Task ConnectDirectTcpIpAsync(ISshForwardingHandler handler, TcpIpChannel channel, uint senderId, SshDirectTcpIpRequest request)
    {
        Stream? target = null;
        var (failure, description) = (ChannelOpenFailure.AdministrativelyProhibited, $"Forwarding to {request.Host}:{request.Port} is not permitted.");
        try
        {
            target = await handler.ConnectAsync(request, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            description = "The connection is closing.";
        }
        catch (Exception ex)
        {
            // Routine (a refused or unreachable port), so not an error of ours: logged without the stack.
            LogDirectTcpIpFailed(logger, request, ex.Message);
            (failure, description) = (ChannelOpenFailure.ConnectFailed, $"Connecting to {request.Host}:{request.Port} failed: {ex.Message}");
        }

        if (target is null)
        {
            if (_channels.TryRemove(channel.LocalId, out _))
            {
                Interlocked.Decrement(ref _forwardingChannels);
            }

            try
            {
                await RefuseChannelAsync("direct-tcpip", senderId, failure, description, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The connection is gone.
            }

            return;
        }

        LogDirectTcpIpOpened(logger, channel.LocalId, request);
        channel.Start(target, async () =>
        {
            channel.IsOpen = true;
            await ConfirmChannelAsync(senderId, channel.LocalId, CancellationToken.None).ConfigureAwait(false);
        });
    }

    private void OnForwardingChannelClosed(ConnectionChannel channel)
    {
        if (_channels.TryRemove(channel.LocalId, out _))
        {
            Interlocked.Decrement(ref _forwardingChannels);
        }
    }

    private async Task DisposeForwardingHandlerAsync()
    {
        try
        {
            switch (_forwardingHandler)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
        catch (Exception ex)
        {
            LogForwardingHandlerFailed(logger, ex, "dispose");
        }
    }
}
