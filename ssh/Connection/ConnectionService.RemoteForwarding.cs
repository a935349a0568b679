using System.Collections.Concurrent;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Remote forwarding (RFC 4254 §7.1, ssh -R): tcpip-forward requests and the forwarded-tcpip channels we open.</summary>
internal sealed partial class ConnectionService
{
    private readonly ConcurrentDictionary<uint, PendingOpen> _pendingOpens = new();
    private readonly Dictionary<(string Address, uint Port), (SshRemoteForward Forward, ISshRemoteForwardListener Listener)> _remoteForwards = [];

    /// <summary>Opens a "forwarded-tcpip" channel for a connection accepted by a remote forward and splices it.</summary>
    internal Task ForwardAsync(
        SshRemoteForward forward, uint boundPort, Stream connection, string originatorAddress, uint originatorPort, CancellationToken cancellationToken)
    {
        var data = new SshWriter(64)
            .WriteString(forward.Address)
            .WriteUInt32(boundPort)
            .WriteString(originatorAddress)
            .WriteUInt32(originatorPort)
            .ToArray();
        var description = $"{forward.Address}:{boundPort} from {originatorAddress}:{originatorPort}";
        return OpenToClientAsync("forwarded-tcpip", data, connection, description, () => forward.IsStopped, cancellationToken);
    }

    /// <summary>
    /// Opens a channel of <paramref name="type"/> to the client (forwarded-tcpip, auth-agent@openssh.com) for
    /// <paramref name="connection"/>, which it owns from now on, and splices the two until both sides are done.
    /// </summary>
    internal async Task OpenToClientAsync(
        string type, byte[] data, Stream connection, string description, Func<bool>? stopped, CancellationToken cancellationToken)
    {
        var id = NextChannelId();
        PendingOpen pending;
        try
        {
            if (_lifetime.IsCancellationRequested || stopped?.Invoke() == true)
            {
                throw new IOException($"The {type} channel cannot be opened: it is no longer wanted.");
            }

            if (Interlocked.Increment(ref _forwardingChannels) > limits.MaxForwardingChannels)
            {
                Interlocked.Decrement(ref _forwardingChannels);
                throw new IOException("Too many forwarding channels on this connection.");
            }

            pending = new PendingOpen(connection);
            _pendingOpens[id] = pending;
            if (_lifetime.IsCancellationRequested)
            {
                // The connection began to end after the check above; its cleanup may have missed this open.
                throw new IOException("The SSH connection ended.");
            }

            var open = new SshWriter(64 + data.Length)
                .WriteByte(SshMessage.ChannelOpen)
                .WriteString(type)
                .WriteUInt32(id)
                .WriteUInt32(InitialWindowSize)
                .WriteUInt32(MaxPacketSize)
                .WriteRaw(data);
            await transport.SendAsync(open.ToArray(), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            if (_pendingOpens.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref _forwardingChannels);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        TcpIpChannel channel;
        try
        {
            // Not cancellable: an open cannot be taken back; a cancelled forward closes the channel once it exists.
            channel = await pending.Channel.Task.ConfigureAwait(false);
        }
        catch (IOException)
        {
            LogOpenToClient(logger, id, type, description, "refused");
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogOpenToClient(logger, id, type, description, "opened");
        using (cancellationToken.Register(channel.Stop))
        {
            await channel.Completion.ConfigureAwait(false);
        }
    }

    private void OnChannelOpenConfirmation(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        var (id, senderId, window, maxPacket) = (reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32(), reader.ReadUInt32());
        if (!_pendingOpens.TryRemove(id, out var pending))
        {
            throw SshProtocolException.Protocol($"Open confirmation for channel {id}, which we did not open.");
        }

        if (maxPacket == 0)
        {
            throw SshProtocolException.Protocol($"Open confirmation for channel {id} with a maximum packet size of 0.");
        }

        // Registered before the next message is read: the client may send data right after confirming.
        var channel = new TcpIpChannel(transport, id, senderId, window, maxPacket, OnForwardingChannelClosed, logger);
        _channels[id] = channel;
        channel.Start(pending.Connection);
        pending.Channel.TrySetResult(channel);
    }

    private void OnChannelOpenFailure(byte[] payload)
    {
        var reader = new SshReader(payload);
        reader.ReadByte();
        var id = reader.ReadUInt32();
        var reason = reader.ReadUInt32();
        var description = reader.ReadUtf8String();
        if (!_pendingOpens.TryRemove(id, out var pending))
        {
            throw SshProtocolException.Protocol($"Open failure for channel {id}, which we did not open.");
        }

        Interlocked.Decrement(ref _forwardingChannels);
        pending.Channel.TrySetException(new IOException($"The client refused the forwarded channel ({reason}): {description}"));
    }

    private async ValueTask<byte[]?> StartRemoteForwardAsync(byte[] data)
    {
        var reader = new SshReader(data);
        var (address, port) = (reader.ReadUtf8String(), reader.ReadUInt32());
        reader.EnsureEnd("tcpip-forward");
        if (ForwardingHandler is not { } handler || port > ushort.MaxValue)
        {
            return null;
        }

        lock (_remoteForwards)
        {
            if (port != 0 && _remoteForwards.ContainsKey((address, port)))
            {
                return null;
            }
        }

        var forward = new SshRemoteForward(this, address, port);
        ISshRemoteForwardListener? listener = null;
        try
        {
            listener = await handler.ListenAsync(forward, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_lifetime.IsCancellationRequested)
        {
            LogForwardingHandlerFailed(logger, ex, "tcpip-forward");
        }

        var bound = port == 0 ? listener?.Port ?? 0 : port;
        var added = false;
        if (listener is not null && bound is > 0 and <= ushort.MaxValue)
        {
            lock (_remoteForwards)
            {
                added = !_lifetime.IsCancellationRequested && _remoteForwards.TryAdd((address, bound), (forward, listener));
            }
        }

        if (!added)
        {
            forward.Stop();
            if (listener is not null)
            {
                await DisposeListenerAsync(listener).ConfigureAwait(false);
            }

            return null;
        }

        forward.Bind(bound);
        LogRemoteForwardStarted(logger, address, bound, port);
        var reply = new SshWriter(8).WriteByte(SshMessage.RequestSuccess);
        if (port == 0)
        {
            reply.WriteUInt32(bound);
        }

        return reply.ToArray();
    }

    private async ValueTask<byte[]?> CancelRemoteForwardAsync(byte[] data)
    {
        var reader = new SshReader(data);
        var (address, port) = (reader.ReadUtf8String(), reader.ReadUInt32());
        reader.EnsureEnd("cancel-tcpip-forward");
        (SshRemoteForward Forward, ISshRemoteForwardListener Listener) entry;
        lock (_remoteForwards)
        {
            if (!_remoteForwards.Remove((address, port), out entry))
            {
                return null;
            }
        }

        entry.Forward.Stop();
        await DisposeListenerAsync(entry.Listener).ConfigureAwait(false);
        LogRemoteForwardStopped(logger, address, port);
        return [SshMessage.RequestSuccess];
    }

    /// <summary>The connection is ending: stop listening, fail opens in flight; channels are aborted after this.</summary>
    private async Task StopForwardingAsync()
    {
        await _lifetime.CancelAsync().ConfigureAwait(false);
        List<(SshRemoteForward Forward, ISshRemoteForwardListener Listener)> forwards;
        lock (_remoteForwards)
        {
            forwards = [.. _remoteForwards.Values];
            _remoteForwards.Clear();
        }

        foreach (var (forward, listener) in forwards)
        {
            forward.Stop();
            await DisposeListenerAsync(listener).ConfigureAwait(false);
        }

        foreach (var id in _pendingOpens.Keys)
        {
            if (_pendingOpens.TryRemove(id, out var pending))
            {
                pending.Channel.TrySetException(new IOException("The SSH connection ended."));
            }
        }
    }

    private async ValueTask DisposeListenerAsync(ISshRemoteForwardListener listener)
    {
        try
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogForwardingHandlerFailed(logger, ex, "stop listener");
        }
    }

    /// <summary>A forwarded-tcpip open we sent: the connection to splice once the client confirms.</summary>
    private sealed record PendingOpen(Stream Connection)
    {
        public TaskCompletionSource<TcpIpChannel> Channel { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
