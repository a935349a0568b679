using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The host key verifier refused the server's host key; nothing was authenticated or sent to the server.</summary>
public sealed class SshHostKeyRejectedException : SshConnectionException
{
    public SshHostKeyRejectedException(SshServerHostKey hostKey, string reason)
        : base($"Host key verification failed for '{hostKey.HostName}': {reason}", SshDisconnectReason.HostKeyNotVerifiable)
    {
        HostKey = hostKey;
        Reason = reason;
    }

    public SshServerHostKey HostKey { get; }

    public string Reason { get; }
}
