namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>The proxy refused the tunnel for now: it has as many handshakes in flight as it admits.</summary>
internal sealed class TunnelBusyException() : IOException("the proxy is busy with other tunnel handshakes");
