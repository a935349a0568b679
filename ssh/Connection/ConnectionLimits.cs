namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Per-connection limits of the connection protocol.</summary>
internal sealed record ConnectionLimits(int MaxChannels);
