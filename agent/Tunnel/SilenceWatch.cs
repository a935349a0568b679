namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// A tunnel connection that notices a proxy gone silent: every read that returns bytes counts as a sign of life, and
/// <see cref="WatchAsync"/> closes the connection once none came for the limit. The proxy sends a keep-alive on an
/// idle tunnel every <see cref="ProxyKeepAliveInterval"/>, so silence for three of them means the proxy (or the path
/// to it) is hung: the node dials again (through the load balancer, to a live proxy) instead of waiting for TCP to
/// give up, which takes minutes when nothing acknowledges and nothing resets.
/// </summary>
internal sealed class SilenceWatch(Stream inner, TimeProvider time) : PassThroughStream(inner)
{
    /// <summary>How often the proxy sends a keep-alive on an idle tunnel (gateway TunnelServer).</summary>
    public static readonly TimeSpan ProxyKeepAliveInterval = TimeSpan.FromSeconds(2);

    /// <summary>Silence after which the tunnel counts as dead: three keep-alives missed.</summary>
    public static readonly TimeSpan DefaultLimit = ProxyKeepAliveInterval * 3;

    private long _lastRead = time.GetTimestamp();

    /// <summary>How long nothing came from the proxy.</summary>
    public TimeSpan Silence => time.GetElapsedTime(Interlocked.Read(ref _lastRead));

    /// <summary>
    /// Returns once nothing was read for <paramref name="limit"/> (then disposes the connection, so its reader fails at
    /// once), or when <paramref name="cancellationToken"/> ends the watch (the connection ended otherwise).
    /// </summary>
    public async Task<bool> WatchAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var check = limit / 6;
        try
        {
            while (Silence < limit)
            {
                await Task.Delay(check, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        await Inner.DisposeAsync();
        return true;
    }

    public override int Read(byte[] buffer, int offset, int count) => Seen(Inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Seen(await Inner.ReadAsync(buffer, cancellationToken));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Seen(await Inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    private int Seen(int read)
    {
        if (read > 0)
        {
            Interlocked.Exchange(ref _lastRead, time.GetTimestamp());
        }

        return read;
    }
}
