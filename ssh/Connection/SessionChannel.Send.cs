using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>What the channel sends: data within the peer's window and max packet, EOF, CLOSE, window adjusts.</summary>
internal sealed partial class SessionChannel
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
            var message = new SshWriter(count + 16)
                .WriteByte(isError ? SshMessage.ChannelExtendedData : SshMessage.ChannelData)
                .WriteUInt32(RemoteId);
            if (isError)
            {
                message.WriteUInt32(1); // SSH_EXTENDED_DATA_STDERR
            }

            message.WriteString(data.Span[..count]);
            await _transport.SendAsync(message.ToArray(), cancellationToken).ConfigureAwait(false);
            data = data[count..];
        }
    }

    private async ValueTask SendWindowAdjustAsync(uint bytes)
    {
        if (_closeSent || _closeReceived)
        {
            return;
        }

        var message = new SshWriter(16).WriteByte(SshMessage.ChannelWindowAdjust).WriteUInt32(RemoteId).WriteUInt32(bytes);
        await _transport.SendAsync(message.ToArray(), CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask SendEofAsync()
    {
        lock (_gate)
        {
            if (_eofSent || _closeSent || _closeReceived)
            {
                return;
            }

            _eofSent = true;
        }

        await _transport.SendAsync(new SshWriter(8).WriteByte(SshMessage.ChannelEof).WriteUInt32(RemoteId).ToArray(), CancellationToken.None).ConfigureAwait(false);
    }

    private async ValueTask SendCloseAsync()
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
        await _transport.SendAsync(new SshWriter(8).WriteByte(SshMessage.ChannelClose).WriteUInt32(RemoteId).ToArray(), CancellationToken.None).ConfigureAwait(false);
        await TryFinishAsync().ConfigureAwait(false);
    }

    /// <summary>Once both sides sent CLOSE: dispose the handler and free the channel number.</summary>
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
            switch (_handler)
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
            LogHandlerFailed(_logger, ex, LocalId, "dispose");
        }

    }
}
