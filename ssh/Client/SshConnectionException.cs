using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The SSH connection failed or ended: the server disconnected (<see cref="DisconnectReason"/> says why), the
/// stream closed, or one side broke the protocol. Pending and later operations on the connection fail with it.
/// </summary>
public class SshConnectionException : IOException
{
    public SshConnectionException(string message, SshDisconnectReason? disconnectReason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        DisconnectReason = disconnectReason;
    }

    /// <summary>The reason code of the DISCONNECT message sent or received, if any.</summary>
    public SshDisconnectReason? DisconnectReason { get; }

    /// <summary>What the server said when it closed the connection (its DISCONNECT's description), if it did.</summary>
    public string? ServerMessage
    {
        get
        {
            for (Exception? inner = this; inner is not null; inner = inner.InnerException)
            {
                if (inner is SshPeerDisconnectedException peer)
                {
                    return peer.Description;
                }
            }

            return null;
        }
    }

    /// <summary>A new exception for one more caller that meets <paramref name="failure"/>, so that each keeps its own stack trace.</summary>
    internal static SshConnectionException From(Exception failure) =>
        new(failure.Message, (failure as SshConnectionException)?.DisconnectReason, failure);
}
