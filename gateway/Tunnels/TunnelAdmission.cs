namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Bounds how many node tunnels are in their SSH handshake at once. The handshake is the costly part of a tunnel (key
/// exchange, certificate checks, the record write); after a proxy restart every agent dials again within seconds, and
/// admitting them all at once would leave each handshake too little CPU to finish before its timeout, so none would
/// come up. Over the bound a connection is refused at once (closed before any cryptography), and the agent backs off
/// with jitter and comes back later, while the admitted ones finish quickly.
/// </summary>
internal sealed class TunnelAdmission(int capacity)
{
    /// <summary>Handshakes in flight per core by default: enough to keep the cores busy while some wait on the network.</summary>
    public const int DefaultPerCore = 16;

    private int _inFlight;
    private long _refused;

    public TunnelAdmission()
        : this(Environment.ProcessorCount * DefaultPerCore)
    {
    }

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "the handshake bound must be at least 1");

    /// <summary>Handshakes in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Connections refused so far for being over the bound.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>A place for one handshake, to dispose when it ends (either way); null when the bound is reached.</summary>
    public Ticket? TryEnter()
    {
        while (true)
        {
            var current = Volatile.Read(ref _inFlight);
            if (current >= Capacity)
            {
                Interlocked.Increment(ref _refused);
                return null;
            }

            if (Interlocked.CompareExchange(ref _inFlight, current + 1, current) == current)
            {
                return new Ticket(this);
            }
        }
    }

    /// <summary>One admitted handshake; disposing it (once or more) frees the place.</summary>
    public sealed class Ticket(TunnelAdmission owner) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                Interlocked.Decrement(ref owner._inFlight);
            }
        }
    }
}
