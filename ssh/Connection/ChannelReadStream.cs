namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What the peer sends on one stream of a channel (data, or stderr), as a read-only stream, for client and server
/// channels alike. Reads return 0 after the peer's EOF or CLOSE; after a lost connection they return what was
/// buffered, then throw. Consumed bytes are credited to the <see cref="ReceiveWindow"/>.
/// </summary>
/// <remarks>
/// Performance: a relay (a direct-tcpip splice) sets <see cref="DirectWrite"/>. While its reader is waiting with
/// nothing buffered, data is then written to the relay's target by the connection's reader itself, as it arrives,
/// instead of being queued for the reader on another thread: no thread switch and no copy per packet. A write that
/// does not complete at once is handed to the reader, which waits for it before reading on; what arrives meanwhile is
/// queued, so the order is kept and the connection's reader never waits for a slow target. Data written at once is
/// handed back to <paramref name="release"/> (the transport reuses the received packet's array for the next one).
/// </remarks>
internal sealed class ChannelReadStream(ReceiveWindow window, Action<ReadOnlyMemory<byte>>? release = null) : Stream
{
    private readonly Lock _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _segments = new();
    private int _offset;
    private long _buffered;
    private bool _eof;
    private Func<Exception>? _failure;
    private TaskCompletionSource? _waiter;
    private Func<ReadOnlyMemory<byte>, ValueTask>? _directWrite;
    private bool _directBusy;
    private (Task Write, int Length)? _pendingDirect;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Bytes received and not yet read (never more than the channel window).</summary>
    internal long BufferedBytes => Volatile.Read(ref _buffered);

    /// <summary>
    /// Where the data goes when the reader is waiting and nothing is buffered (see the remarks). It runs on the
    /// connection's reader, so it must not block; the reader of this stream must be the only other writer there.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, ValueTask>? DirectWrite
    {
        set
        {
            lock (_gate)
            {
                _directWrite = value;
            }
        }
    }

    /// <summary>
    /// Called by the connection's reader with data the window already accounted for; the memory becomes the
    /// stream's (nobody else may reuse it).
    /// </summary>
    public ValueTask AppendAsync(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        Func<ReadOnlyMemory<byte>, ValueTask>? direct = null;
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            if (_eof)
            {
                return ValueTask.CompletedTask;
            }

            if (_directWrite is not null && _waiter is not null && !_directBusy && _segments.Count == 0)
            {
                // The reader is parked with nothing to do: the data goes straight to the target, and the reader stays
                // parked unless the write has to be waited for.
                _directBusy = true;
                direct = _directWrite;
            }
            else
            {
                _segments.Enqueue(data);
                _buffered += data.Length;
                waiter = TakeWaiter();
            }
        }

        waiter?.TrySetResult();
        return direct is null ? ValueTask.CompletedTask : WriteDirectAsync(direct, data);
    }

    /// <summary>No more data will come: reads drain the buffer, then return 0.</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _eof = true;
            waiter = TakeWaiter();
        }

        waiter?.TrySetResult();
    }

    /// <summary>The connection is gone: reads drain the buffer, then throw what <paramref name="failure"/> creates.</summary>
    public void Fail(Func<Exception> failure)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (!_eof)
            {
                _failure ??= failure;
                _eof = true;
            }

            waiter = TakeWaiter();
        }

        waiter?.TrySetResult();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            Task wait;
            var copied = 0;
            (Task Write, int Length)? pending;
            lock (_gate)
            {
                pending = _pendingDirect;
                _pendingDirect = null;
                if (pending is not null)
                {
                    wait = Task.CompletedTask;
                }
                else if (_segments.TryPeek(out var segment))
                {
                    copied = Math.Min(buffer.Length, segment.Length - _offset);
                    segment.Slice(_offset, copied).CopyTo(buffer);
                    _offset += copied;
                    _buffered -= copied;
                    if (_offset == segment.Length)
                    {
                        _segments.Dequeue();
                        _offset = 0;
                    }

                    wait = Task.CompletedTask;
                }
                else if (_failure is not null)
                {
                    throw _failure();
                }
                else if (_eof)
                {
                    return 0;
                }
                else
                {
                    _directBusy = false;
                    _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _waiter.Task;
                }
            }

            if (pending is { } write)
            {
                // A direct write that did not complete at once: the target gets nothing else before it is done.
                await write.Write.WaitAsync(cancellationToken).ConfigureAwait(false);
                await window.ConsumedAsync(write.Length).ConfigureAwait(false);
                continue;
            }

            if (copied > 0)
            {
                await window.ConsumedAsync(copied).ConfigureAwait(false);
                return copied;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private async ValueTask WriteDirectAsync(Func<ReadOnlyMemory<byte>, ValueTask> direct, ReadOnlyMemory<byte> data)
    {
        ValueTask write;
        try
        {
            write = direct(data);
        }
        catch (Exception ex)
        {
            write = ValueTask.FromException(ex);
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            lock (_gate)
            {
                _directBusy = false;
            }

            // The target has taken the data (a completed write no longer holds its buffer): the memory is free again.
            release?.Invoke(data);

            await window.ConsumedAsync(data.Length).ConfigureAwait(false);
            return;
        }

        // Pending or failed: the reader takes it over (it sees the failure, the connection's reader never does).
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _pendingDirect = (write.AsTask(), data.Length);
            waiter = TakeWaiter();
        }

        waiter?.TrySetResult();
    }

    /// <summary>The reader to wake (under the lock); it is woken outside the lock.</summary>
    private TaskCompletionSource? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }
}
