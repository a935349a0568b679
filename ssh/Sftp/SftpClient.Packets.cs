using System.Buffers.Binary;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>Framing: requests carry an id; one reader task matches each answer to the request waiting for it.</summary>
public sealed partial class SftpClient
{
    private async Task<SftpResponse> RequestAsync(
        SftpPacketType type, Action<SshWriter> body, CancellationToken cancellationToken, ReadOnlyMemory<byte> trailer = default)
    {
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        var id = (uint)Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<SftpResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (_failure is { } failure)
        {
            _pending.TryRemove(id, out _);
            throw Lost(failure);
        }

        var writer = new SshWriter(64 + trailer.Length).WriteByte((byte)type).WriteUInt32(id);
        body(writer);
        try
        {
            await WritePacketAsync(writer, trailer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            throw Lost(ex);
        }

        using var registration = cancellationToken.Register(() =>
        {
            // The answer still arrives later; it is dropped because nobody waits for its id any more.
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetCanceled(cancellationToken);
            }
        });
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Queues one packet and writes whatever is queued in one go: requests issued together (a transfer's window of
    /// reads) leave in one write instead of one system call each. Whoever holds the write lock drains the queue, and
    /// checks it again after releasing, so no packet is left behind.
    /// </summary>
    private async Task WritePacketAsync(SshWriter body, ReadOnlyMemory<byte> trailer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var packet = new byte[4 + body.Length + trailer.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(body.Length + trailer.Length));
        body.WrittenSpan.CopyTo(packet.AsSpan(4));
        trailer.Span.CopyTo(packet.AsSpan(4 + body.Length));
        _outgoing.Enqueue(packet);
        while (!_outgoing.IsEmpty && await _writeLock.WaitAsync(0, CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                var batch = new MemoryStream();
                while (batch.Length < MaxBatchBytes && _outgoing.TryDequeue(out var next))
                {
                    batch.Write(next);
                }

                // Not cancellable: half a packet on the stream would break every later request.
                await _toServer.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length), CancellationToken.None).ConfigureAwait(false);
                await _toServer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                Fail(ex);
                throw;
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    /// <summary>One packet: its type and the bytes after the type; null at a clean end of stream.</summary>
    private async Task<(SftpPacketType Type, byte[] Payload)?> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var got = await _fromServer.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            return null;
        }

        if (got < 4)
        {
            throw new EndOfStreamException("The SFTP stream ended inside a packet.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > MaxPacketLength)
        {
            throw new IOException($"The SFTP server sent a packet of {length} bytes.");
        }

        var packet = new byte[length];
        await _fromServer.ReadExactlyAsync(packet, cancellationToken).ConfigureAwait(false);
        return ((SftpPacketType)packet[0], packet);
    }

    private async Task ReadResponsesAsync()
    {
        try
        {
            while (await ReadPacketAsync(_stop.Token).ConfigureAwait(false) is { } received)
            {
                var (type, packet) = received;
                if (packet.Length < 5)
                {
                    throw new IOException($"The SFTP server sent a {type} packet without a request id.");
                }

                var id = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(1));
                if (_pending.TryRemove(id, out var waiting))
                {
                    waiting.TrySetResult(new SftpResponse(type, packet, 5));
                }
            }

            Fail(new EndOfStreamException("The SFTP server closed the session."));
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref _failure, reason, null);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetException(Lost(_failure));
            }
        }
    }

    private static Exception Lost(Exception reason) => reason switch
    {
        ObjectDisposedException disposed => disposed,
        OperationCanceledException => new ObjectDisposedException(nameof(SftpClient)),
        _ => new IOException($"The SFTP session was lost: {reason.Message}", reason),
    };
}
