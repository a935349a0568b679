using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>What handlers may do to the connection as a whole: end it with a reason, or open a channel back to the client.</summary>
internal sealed partial class ConnectionService
{
    private readonly CancellationTokenSource _disconnecting = new();
    private int _disconnectRequested;

    /// <summary>Called once the loop runs, before any message is handled: the host's watch over the whole connection.</summary>
    internal Action<SshConnectionContext>? Started { get; init; }

    /// <summary>Cancelled once the connection has ended (or is ending): nothing new should start on it.</summary>
    internal CancellationToken Ended => _lifetime.Token;

    /// <summary>
    /// Ends the connection from our side: SSH_MSG_DISCONNECT (by application) carrying <paramref name="description"/>,
    /// which OpenSSH prints as "Received disconnect ...", then the message loop stops and every channel ends.
    /// </summary>
    internal async Task DisconnectAsync(string description)
    {
        if (Interlocked.Exchange(ref _disconnectRequested, 1) == 1 || _lifetime.IsCancellationRequested)
        {
            return;
        }

        LogDisconnecting(logger, description);
        await transport.TryDisconnectAsync(SshDisconnectReason.ByApplication, description).ConfigureAwait(false);
        await _disconnecting.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>The loop's token: the host's (shutdown) joined with our own disconnect.</summary>
    private CancellationTokenSource LinkDisconnect(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disconnecting.Token);

    /// <summary>True when the loop stopped because we disconnected, not because the host shuts down.</summary>
    private bool DisconnectedByUs(CancellationToken hostToken) =>
        _disconnecting.IsCancellationRequested && !hostToken.IsCancellationRequested;
}
