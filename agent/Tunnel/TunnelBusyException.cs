namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// The proxy refused the tunnel for now: it has as many handshakes in flight as it admits; <see cref="RetryAfter"/> is
/// when it asked this agent to dial again, if it said.
/// </summary>
internal sealed class TunnelBusyException(TimeSpan? retryAfter) : IOException("the proxy is busy with other tunnel handshakes")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
