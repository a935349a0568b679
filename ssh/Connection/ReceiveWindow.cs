using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Our receive window for one channel (RFC 4254 §5.2), shared by its data and extended data: the peer may not
/// send past it, and bytes the application has consumed are credited back with WINDOW_ADJUST once half the
/// window is used, so an application that stops reading stops the peer instead of growing a buffer.
/// </summary>
internal sealed class ReceiveWindow(uint initial, Func<uint, ValueTask> sendAdjust)
{
    private readonly Lock _gate = new();
    private readonly uint _initial = initial;
    private uint _available = initial;
    private uint _consumed;
    private bool _closed;

    /// <summary>Accounts for data the peer sent; more than the window allows is a protocol error.</summary>
    public void Take(int count)
    {
        lock (_gate)
        {
            if ((uint)count > _available)
            {
                throw SshProtocolException.Protocol($"Channel data of {count} bytes exceeds the remaining window of {_available} bytes.");
            }

            _available -= (uint)count;
        }
    }

    /// <summary>The application consumed <paramref name="count"/> bytes; may send a WINDOW_ADJUST.</summary>
    public ValueTask ConsumedAsync(int count)
    {
        uint adjust = 0;
        lock (_gate)
        {
            _consumed += (uint)count;
            if (_consumed >= _initial / 2 && !_closed)
            {
                adjust = _consumed;
                _available += adjust;
                _consumed = 0;
            }
        }

        return adjust > 0 ? sendAdjust(adjust) : ValueTask.CompletedTask;
    }

    /// <summary>The peer sent EOF or CLOSE (or the channel is gone): nothing more to credit.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
    }
}
