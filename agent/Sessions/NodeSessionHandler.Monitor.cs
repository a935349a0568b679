using System.Text;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    /// <summary>How long the client gets to take the notice of why its session ends before the session ends anyway.</summary>
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The exit status of a session ended because access ended, instead of the hang-up signal that ended its
    /// program: Teleport closes the connection, so its clients report 255 (ssh's own failure) after the notice.
    /// </summary>
    private const int AccessEndedExitStatus = 255;

    /// <summary>
    /// <paramref name="run"/> under the access monitor: it does not start once access has ended, and it ends (after
    /// telling the client why on stderr) when access ends while it runs, as the client's own disconnect would end it.
    /// </summary>
    private SshProgram Monitored(SshProgram run) => async (streams, cancellationToken) =>
    {
        if (_connection is null)
        {
            return await run(streams, cancellationToken);
        }

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accessEnded = false;
        var (registration, refusal) = _connection.Start(async reason =>
        {
            Volatile.Write(ref accessEnded, true);
            LogAccessEnded(_logger, SessionId, reason);
            await NoticeAsync(streams, reason);
            if (_connection.ClosesConnectionOnEnd)
            {
                // The DISCONNECT that follows ends the program with the connection. Ending it here would close the
                // channel first, and OpenSSH exits on its last channel's close without reading why the server left.
                return;
            }

            try
            {
                await ending.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The program ended by itself meanwhile.
            }
        });
        if (refusal is not null)
        {
            await NoticeAsync(streams, refusal);
            return AccessEndedExitStatus;
        }

        using (registration)
        {
            try
            {
                return await run(streams, ending.Token);
            }
            catch (SshExitSignalException) when (Volatile.Read(ref accessEnded))
            {
                return AccessEndedExitStatus;
            }
        }
    };

    /// <summary>Writes why the session ends to the client's stderr (its terminal, with a PTY); a client that does not read is not waited for.</summary>
    private async Task NoticeAsync(SshSessionStreams streams, string reason)
    {
        var text = _pty is null ? reason + "\n" : "\r\n" + reason + "\r\n";
        using var timeout = new CancellationTokenSource(NoticeTimeout);
        try
        {
            await streams.Error.WriteAsync(Encoding.UTF8.GetBytes(text), timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone or not reading; the log and the audit event have the reason.
        }
    }
}
