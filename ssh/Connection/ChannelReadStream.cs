namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// What the peer sends on one stream of a channel (data, or stderr), as a read-only stream, for client and server
/// channels alike. Reads return 0 after the peer's EOF or CLOSE; after a lost connection they return what was
/// buffered, then throw. Consumed bytes are credited to the <see cref="ReceiveWindow"/>.
/// </summary>
internal sealed class ChannelReadStream(ReceiveWindow window) : Stream
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _segments = new();
    private int _offset;
    private long _buffered;
    private bool _eof;
    private Func<Exception>? _failure;
    private TaskCompletionSource? _waiter;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Bytes received and not yet read (never more than the channel window).</summary>
    internal long BufferedBytes => Volatile.Read(ref _buffered);

    /// <summary>Called by the connection's reader with data the window already accounted for.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            if (!_eof)
            {
                _segments.Enqueue(data.ToArray());
                _buffered += data.Length;
            }

            Wake();
        }
    }

    /// <summary>No more data will come: reads drain the buffer, then return 0.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _eof = true;
            Wake();
        }
    }

    /// <summary>The connection is gone: reads drain the buffer, then throw what <paramref name="failure"/> creates.</summary>
    public void Fail(Func<Exception> failure)
    {
        lock (_gate)
        {
            if (!_eof)
            {
                _failure ??= failure;
                _eof = true;
            }

            Wake();
        }
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
            lock (_gate)
            {
                if (_segments.TryPeek(out var segment))
                {
                    copied = Math.Min(buffer.Length, segment.Length - _offset);
                    segment.AsMemory(_offset, copied).CopyTo(buffer);
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
                    _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    wait = _waiter.Task;
                }
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

    private void Wake()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult();
    }
}
