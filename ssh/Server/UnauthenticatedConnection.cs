using System.Net;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>
/// A connection's place in an <see cref="UnauthenticatedConnectionBudget"/>, from accept until it authenticates or
/// ends. The owner reports received bytes (<see cref="Received"/>) so that the budget can tell idle connections from
/// active ones, and leaves the budget with <see cref="Authenticated"/> or <see cref="Dispose"/>.
/// </summary>
public sealed class UnauthenticatedConnection : IDisposable
{
    private readonly UnauthenticatedConnectionBudget _budget;
    private readonly Action _close;
    private long _lastReceived;
    private int _state; // 0 waiting, 1 left, 2 evicted

    internal UnauthenticatedConnection(UnauthenticatedConnectionBudget budget, IPAddress? address, string remote, Action close, long admitted)
    {
        _budget = budget;
        _close = close;
        Address = address;
        Remote = remote;
        Admitted = admitted;
        _lastReceived = admitted;
    }

    /// <summary>The client's IP address (IPv4-mapped addresses as IPv4); null when unknown, which exempts it from the per-address limit.</summary>
    public IPAddress? Address { get; internal set; }

    /// <summary>The client's address and port, for log lines.</summary>
    public string Remote { get; }

    /// <summary>True once the budget closed the connection (evicted, or past its deadline).</summary>
    public bool Evicted => Volatile.Read(ref _state) == 2;

    internal long Admitted { get; }

    internal long LastReceived => Volatile.Read(ref _lastReceived);

    internal ITimer? Deadline { get; set; }

    /// <summary>Bytes arrived from the client: the connection is not idle.</summary>
    public void Received() => Volatile.Write(ref _lastReceived, _budget.Now);

    /// <summary>
    /// A relay the server trusts (a proxy of its cluster) vouched for this connection: it leaves its address's share
    /// and counts against the whole budget only. See <see cref="UnauthenticatedConnectionBudget.RelayVouched"/>.
    /// </summary>
    public void RelayVouched() => _budget.RelayVouched(this);

    /// <summary>The client authenticated: it leaves the budget and no longer counts against it.</summary>
    public void Authenticated() => Dispose();

    /// <summary>Leaves the budget without closing the connection; idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            _budget.Remove(this);
        }
    }

    /// <summary>Marks the connection evicted; true when it was still waiting (the caller then closes it).</summary>
    internal bool TryEvict() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

    internal void Close() => _close();

    internal void Expire() => _budget.Expire(this);
}
