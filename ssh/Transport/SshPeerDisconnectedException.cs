namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The peer sent SSH_MSG_DISCONNECT: the orderly end of a connection, not an error.</summary>
internal sealed class SshPeerDisconnectedException(SshDisconnectReason reason, string description)
    : Exception($"Peer disconnected ({reason}): {description}")
{
    public SshDisconnectReason Reason { get; } = reason;

    public string Description { get; } = description;
}
