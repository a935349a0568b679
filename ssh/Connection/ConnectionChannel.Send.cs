using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>What the channel sends: data within the peer's window and max packet, EOF, CLOSE, window adjusts.</summary>
internal abstract partial class ConnectionChannel
{
    public async ValueTask SendDataAsync(ReadOnlyMemory<byte> data, bool isError, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            if (_eofSent || _closeSent || _closeReceived)
            {
                throw new IOException($"Channel {LocalId} is closed for output.");
            }

            var count = await _remoteWindow.ReserveAsync(Math.Min(data.Length, _chunkSize), cancellationToken).ConfigureAwait(false);
            await Transport.SendAsync(ChannelMessages.DataHeader(RemoteId, count, isError), data[..count], cancellationToken).ConfigureAwait(false);
            data = data[count..];
        }
    }

    /// <summary>A CHANNEL_REQUEST without reply (exit-status, exit-signal); nothing is sent once the client closed.</summary>
    protected async ValueTask SendRequestAsync(string type, Action<SshWriter> writeData)
    {
        if (_closeSent || _closeReceived)
        {
            return;
        }

        var message = new SshWriter(64).WriteByte(SshMessage.ChannelRequest).WriteUInt32(RemoteId).WriteString(type).WriteBoolean(false);
        writeData(message);
        await Transport.SendAsync(message.ToArray(), CancellationToken.None).ConfigureAwait(false);
    }

    protected async ValueTask SendEofAsync()
    {
        lock (_gate)
        {
            if (_eofSent || _closeSent || _closeReceived)
            {
                return;
            }

            _eofSent = true;
        }

        await Transport.SendAsync(ChannelMessages.Eof(RemoteId), CancellationToken.None).ConfigureAwait(false);
    }

    protected async ValueTask SendCloseAsync()
    {
        lock (_gate)
        {
            if (_closeSent)
            {
                return;
            }

            _closeSent = true;
        }

        _remoteWindow.Close();
        await Transport.SendAsync(ChannelMessages.Close(RemoteId), CancellationToken.None).ConfigureAwait(false);
        await TryFinishAsync().ConfigureAwait(false);
    }

    private async ValueTask SendWindowAdjustAsync(uint bytes)
    {
        if (_closeSent || _closeReceived)
        {
            return;
        }

        await Transport.SendAsync(ChannelMessages.WindowAdjust(RemoteId, bytes), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Once both sides sent CLOSE: free the channel number and what the channel holds.</summary>
    private async ValueTask TryFinishAsync()
    {
        lock (_gate)
        {
            if (!_closeSent || !_closeReceived || _finished)
            {
                return;
            }

            _finished = true;
        }

        _onClosed(this);
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(Logger, ex, LocalId);
        }
    }
}
