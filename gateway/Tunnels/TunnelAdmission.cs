namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Bounds how many node tunnels are in their SSH handshake at once, and lines up the agents over the bound. The
/// handshake is the costly part of a tunnel (key exchange, certificate checks); after a proxy
/// restart every agent dials again within seconds, and admitting them all at once would leave each handshake too
/// little CPU to finish before its timeout, so none would come up. Over the bound an agent waits in line (first come,
/// first served, up to <see cref="MaxWait"/>) and starts the moment a handshake ends: refusing it at once instead
/// made every agent dial again and again, and at 10,000 agents those refused dials (over 1,000 a second) took the CPU
/// the handshakes needed. Only when the line is full, or the wait runs out, is the agent refused (before any
/// cryptography) to back off with jitter.
/// </summary>
internal sealed class TunnelAdmission
{
    /// <summary>Handshakes in flight per core by default: enough to keep the cores busy while some wait on the network.</summary>
    public const int DefaultPerCore = 16;

    /// <summary>
    /// Agents waiting in line per handshake place, by default: about what the places get through in
    /// <see cref="DefaultMaxWait"/> (a handshake takes tens of milliseconds to a few seconds under load); a longer
    /// line only makes agents wait to be refused.
    /// </summary>
    public const int DefaultQueuedPerPlace = 16;

    /// <summary>
    /// The longest an agent waits in line by default: under the 6 s of silence after which an agent gives up on a
    /// connection and dials again (agent SilenceWatch), so that it gets an answer, admitted or busy, before that.
    /// </summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(4);

    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _line = new();
    private int _inFlight;
    private long _refused;

    public TunnelAdmission()
        : this(Environment.ProcessorCount * DefaultPerCore)
    {
    }

    public TunnelAdmission(int capacity)
        : this(capacity, checked(capacity * DefaultQueuedPerPlace), DefaultMaxWait)
    {
    }

    public TunnelAdmission(int capacity, int maxQueued, TimeSpan maxWait)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "the handshake bound must be at least 1");
        MaxQueued = maxQueued >= 0 ? maxQueued : throw new ArgumentOutOfRangeException(nameof(maxQueued), "the line cannot be shorter than 0");
        MaxWait = maxWait;
    }

    public int Capacity { get; }

    /// <summary>How many agents may wait in line; the next is refused at once.</summary>
    public int MaxQueued { get; }

    public TimeSpan MaxWait { get; }

    /// <summary>Handshakes in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Agents waiting in line now.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _line.Count;
            }
        }
    }

    /// <summary>Connections refused so far: the line full, or the wait over.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// A place for one handshake, at once or after waiting in line (at most <see cref="MaxWait"/>), to dispose when it
    /// ends (either way); null when the line is full or the wait ran out.
    /// </summary>
    public async ValueTask<Ticket?> EnterAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<bool>> place;
        lock (_gate)
        {
            if (_inFlight < Capacity)
            {
                _inFlight++;
                return new Ticket(this);
            }

            if (_line.Count >= MaxQueued || MaxWait <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            place = _line.AddLast(new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(MaxWait);
        await using (wait.Token.Register(() => LeaveLine(place)))
        {
            if (await place.Value.Task)
            {
                return new Ticket(this);
            }
        }

        Interlocked.Increment(ref _refused);
        cancellationToken.ThrowIfCancellationRequested();
        return null;
    }

    /// <summary>The waiter gives up its place (timed out or cancelled) unless a place was handed to it first.</summary>
    private void LeaveLine(LinkedListNode<TaskCompletionSource<bool>> place)
    {
        lock (_gate)
        {
            if (place.List is null)
            {
                return;
            }

            _line.Remove(place);
        }

        place.Value.TrySetResult(false);
    }

    /// <summary>A handshake ended: its place goes to the first in line, or is freed.</summary>
    private void Release()
    {
        TaskCompletionSource<bool> next;
        lock (_gate)
        {
            if (_line.First is not { } first)
            {
                _inFlight--;
                return;
            }

            _line.RemoveFirst();
            next = first.Value;
        }

        next.TrySetResult(true);
    }

    /// <summary>One admitted handshake; disposing it (once or more) frees the place.</summary>
    public sealed class Ticket(TunnelAdmission owner) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
