using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>What the channel sends: data within the server's window and max packet, requests, EOF, CLOSE, window adjusts.</summary>
internal sealed partial class ClientChannel
{
    public async ValueTask SendDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            ThrowIfClosedForOutput();
            int count;
            try
            {
                count = await _remoteWindow.ReserveAsync(Math.Min(data.Length, _chunkSize), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                ThrowIfClosedForOutput();
                throw;
            }

            await _connection.SendAsync(ChannelMessages.Data(RemoteId, data.Span[..count]), cancellationToken).ConfigureAwait(false);
            data = data[count..];
        }
    }

    /// <summary>Sends a channel request; with <paramref name="wantReply"/>, returns whether the server accepted it.</summary>
    public async Task<bool> SendRequestAsync(string type, bool wantReply, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var message = new SshWriter(64 + data.Length)
            .WriteByte(SshMessage.ChannelRequest)
            .WriteUInt32(RemoteId)
            .WriteString(type)
            .WriteBoolean(wantReply)
            .WriteRaw(data.Span)
            .ToArray();
        TaskCompletionSource<bool>? reply = null;

        // Replies come in request order, so queueing and sending must not interleave with another request.
        await _requestLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_closeSent || _closeReceived)
                {
                    throw _failure is { } failure
                        ? SshConnectionException.From(failure)
                        : new IOException($"The {Type} channel is closed.");
                }

                if (wantReply)
                {
                    reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _pendingReplies.Enqueue(reply);
                }
            }

            await _connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _requestLock.Release();
        }

        return reply is null || await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SendEofAsync()
    {
        await _endLock.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_eofSent || _closeSent || _closeReceived || !_opened.Task.IsCompletedSuccessfully)
                {
                    return;
                }

                _eofSent = true;
            }

            await TrySendAsync(ChannelMessages.Eof(RemoteId)).ConfigureAwait(false);
        }
        finally
        {
            _endLock.Release();
        }
    }

    public async ValueTask SendCloseAsync()
    {
        await _endLock.WaitAsync().ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_closeSent || !_opened.Task.IsCompletedSuccessfully)
                {
                    return;
                }

                _closeSent = true;
            }

            _remoteWindow.Close();
            await TrySendAsync(ChannelMessages.Close(RemoteId)).ConfigureAwait(false);
        }
        finally
        {
            _endLock.Release();
        }

        TryFinish();
    }

    private async ValueTask SendWindowAdjustAsync(uint bytes)
    {
        await _endLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_closeSent && !_closeReceived)
            {
                await TrySendAsync(ChannelMessages.WindowAdjust(RemoteId, bytes)).ConfigureAwait(false);
            }
        }
        finally
        {
            _endLock.Release();
        }
    }

    /// <summary>Sends a message whose loss does not matter once the connection is going away.</summary>
    private async ValueTask TrySendAsync(byte[] message)
    {
        try
        {
            await _connection.SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is closing; its reader reports why.
        }
    }

    private void ThrowIfClosedForOutput()
    {
        if (_failure is { } failure)
        {
            throw SshConnectionException.From(failure);
        }

        if (_eofSent || _closeSent || _closeReceived)
        {
            throw new IOException($"The {Type} channel is closed for output.");
        }
    }
}
