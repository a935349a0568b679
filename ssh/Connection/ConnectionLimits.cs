namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Per-connection limits of the connection protocol: session channels, and forwarding channels (direct and forwarded).</summary>
internal sealed record ConnectionLimits(int MaxChannels, int MaxForwardingChannels = 64);
