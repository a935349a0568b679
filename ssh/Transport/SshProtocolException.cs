namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// A violation of the protocol by the peer (or a failed negotiation). The connection is closed
/// with SSH_MSG_DISCONNECT carrying <see cref="Reason"/> and the message as the description.
/// </summary>
internal sealed class SshProtocolException : Exception
{
    public SshProtocolException(SshDisconnectReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public SshDisconnectReason Reason { get; }

    public static SshProtocolException Protocol(string message, Exception? inner = null) =>
        new(SshDisconnectReason.ProtocolError, message, inner);
}
