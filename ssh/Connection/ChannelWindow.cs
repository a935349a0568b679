using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// The peer's receive window for one channel (RFC 4254 §5.2): writers reserve bytes before sending and wait at
/// zero; WINDOW_ADJUST adds. A window past 2^32-1 is a protocol error (dev-tunnels-ssh forgot that check).
/// </summary>
internal sealed class ChannelWindow(uint initial)
{
    private readonly Lock _gate = new();
    private long _available = initial;
    private TaskCompletionSource? _waiter;
    private bool _closed;

    /// <summary>Takes between 1 and <paramref name="max"/> bytes of window, waiting while it is empty.</summary>
    public async ValueTask<int> ReserveAsync(int max, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_closed)
                {
                    throw new IOException("The channel is closed.");
                }

                if (_available > 0)
                {
                    var granted = (int)Math.Min(max, _available);
                    _available -= granted;
                    return granted;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Add(uint bytes)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            if (_available + bytes > uint.MaxValue)
            {
                throw SshProtocolException.Protocol($"Window adjust of {bytes} bytes overflows the channel window.");
            }

            _available += bytes;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Fails current and future reservations: nothing more may be sent on the channel.</summary>
    public void Close()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _closed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }
}
