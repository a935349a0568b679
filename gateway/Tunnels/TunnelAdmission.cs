namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Bounds how many node tunnels are in their SSH handshake at once, and lines up the agents over the bound. The
/// handshake is the costly part of a tunnel (key exchange, certificate checks); after a proxy
/// restart every agent dials again within seconds, and admitting them all at once would leave each handshake too
/// little CPU to finish before its timeout, so none would come up. Over the bound an agent waits in line (first come,
/// first served, up to <see cref="Line.MaxWait"/>) and starts the moment a handshake ends: refusing it at once instead
/// made every agent dial again and again, and at 10,000 agents those refused dials (over 1,000 a second) took the CPU
/// the handshakes needed. Only when the line is full, or the wait runs out, is the agent refused (before any
/// cryptography) to back off with jitter.
/// An agent that says it understands the proxy's "queued" lines (<see cref="TunnelPreface.NodeQueued"/>) hears from the
/// proxy while it waits, so its silence limit does not run out: it may wait longer, in a longer line. After a restart
/// nearly every agent then waits its turn instead of being turned away to come back at a random later moment.
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

    /// <summary>
    /// Agents kept informed may wait in line per handshake place, by default: at the 200-340 handshakes a second two
    /// cores do, 4,096 agents (on 2 cores) are through in 12-20 s, inside <see cref="DefaultInformedMaxWait"/>.
    /// </summary>
    public const int DefaultInformedPerPlace = 128;

    /// <summary>The longest an agent kept informed waits in line by default.</summary>
    public static readonly TimeSpan DefaultInformedMaxWait = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _line = new();
    private int _inFlight;
    private long _refused;

    public TunnelAdmission()
        : this(Environment.ProcessorCount * DefaultPerCore)
    {
    }

    public TunnelAdmission(int capacity)
        : this(
            capacity,
            new Line(checked(capacity * DefaultQueuedPerPlace), DefaultMaxWait),
            new Line(checked(capacity * DefaultInformedPerPlace), DefaultInformedMaxWait))
    {
    }

    /// <summary>One line for every agent, kept informed or not.</summary>
    public TunnelAdmission(int capacity, int maxQueued, TimeSpan maxWait)
        : this(capacity, new Line(maxQueued, maxWait), new Line(maxQueued, maxWait))
    {
    }

    public TunnelAdmission(int capacity, Line silent, Line informed)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "the handshake bound must be at least 1");
        Silent = silent.MaxQueued >= 0 ? silent : throw new ArgumentOutOfRangeException(nameof(silent), "the line cannot be shorter than 0");
        Informed = informed.MaxQueued >= 0 ? informed : throw new ArgumentOutOfRangeException(nameof(informed), "the line cannot be shorter than 0");
    }

    public int Capacity { get; }

    /// <summary>How far in line an agent that hears nothing while it waits may stand, and for how long.</summary>
    public Line Silent { get; }

    /// <summary>The same for an agent kept informed (<see cref="TunnelPreface.NodeQueued"/>).</summary>
    public Line Informed { get; }

    /// <summary>The most agents that may wait in line at once.</summary>
    public int MaxQueued => Math.Max(Silent.MaxQueued, Informed.MaxQueued);

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
    /// A place for one handshake, at once or after waiting in line (at most the line's wait), to dispose when it ends
    /// (either way); null when the line is full or the wait ran out. <paramref name="informed"/>: the agent hears from
    /// the proxy while it waits (<see cref="Informed"/>), else <see cref="Silent"/>.
    /// </summary>
    public async ValueTask<Ticket?> EnterAsync(bool informed, CancellationToken cancellationToken)
    {
        var (maxQueued, maxWait) = informed ? Informed : Silent;
        LinkedListNode<TaskCompletionSource<bool>> place;
        lock (_gate)
        {
            if (_inFlight < Capacity)
            {
                _inFlight++;
                return new Ticket(this);
            }

            if (_line.Count >= maxQueued || maxWait <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            place = _line.AddLast(new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
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

    /// <summary>A place for an agent that hears nothing while it waits (see <see cref="EnterAsync(bool, CancellationToken)"/>).</summary>
    public ValueTask<Ticket?> EnterAsync(CancellationToken cancellationToken) => EnterAsync(informed: false, cancellationToken);

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

    /// <summary>How many may wait in a line (the next is refused at once), and for how long.</summary>
    public readonly record struct Line(int MaxQueued, TimeSpan MaxWait);

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
