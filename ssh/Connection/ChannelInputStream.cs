using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// The data the client sends on a channel, as a read-only stream. It owns our receive window: incoming data
/// beyond the window is a protocol error, and consumed bytes are credited back with WINDOW_ADJUST once half
/// the window is used, so a slow reader throttles the client instead of growing a buffer.
/// </summary>
internal sealed class ChannelInputStream(uint initialWindow, Func<uint, ValueTask> sendWindowAdjust) : Stream
{
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _segments = new();
    private int _offset;
    private readonly uint _initialWindow = initialWindow;
    private uint _window = initialWindow;
    private uint _consumed;
    private bool _eof;
    private TaskCompletionSource? _waiter;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Called by the connection's reader for CHANNEL_DATA.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        Take(data.Length);
        if (data.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            if (!_eof)
            {
                _segments.Enqueue(data.ToArray());
            }

            Wake();
        }
    }

    /// <summary>Data that counts against the window but has no reader (extended data from the client).</summary>
    public ValueTask DiscardAsync(int count)
    {
        Take(count);
        return Credit((uint)count);
    }

    /// <summary>The client sent EOF, or the channel is gone: reads drain what is buffered, then return 0.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _eof = true;
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
                    if (_offset == segment.Length)
                    {
                        _segments.Dequeue();
                        _offset = 0;
                    }

                    wait = Task.CompletedTask;
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
                await Credit((uint)copied).ConfigureAwait(false);
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

    private void Take(int count)
    {
        lock (_gate)
        {
            if ((uint)count > _window)
            {
                throw SshProtocolException.Protocol($"Channel data of {count} bytes exceeds the remaining window of {_window} bytes.");
            }

            _window -= (uint)count;
        }
    }

    private ValueTask Credit(uint count)
    {
        uint adjust = 0;
        lock (_gate)
        {
            _consumed += count;
            if (_consumed >= _initialWindow / 2 && !_eof)
            {
                adjust = _consumed;
                _window += adjust;
                _consumed = 0;
            }
        }

        return adjust > 0 ? sendWindowAdjust(adjust) : ValueTask.CompletedTask;
    }

    private void Wake()
    {
        var waiter = _waiter;
        _waiter = null;
        waiter?.TrySetResult();
    }
}
