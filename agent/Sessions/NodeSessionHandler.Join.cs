using System.Text;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Agent.SharedSessions;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    private string? _joinSessionId;
    private string _joinMode = SessionJoinAccess.Observer;
    private SharedSession? _joined;

    /// <summary>The join login's "env" requests: which session, in which mode; nothing else is taken.</summary>
    private bool AcceptJoinVariable(string name, string value)
    {
        switch (name)
        {
            case SessionJoin.SessionVariable:
                _joinSessionId = value;
                return true;
            case SessionJoin.ModeVariable:
                _joinMode = value;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A moderator's "x-teleport-force-terminate": ends the session for everyone.</summary>
    public ValueTask<bool> OtherRequestAsync(string type, byte[] data, CancellationToken cancellationToken)
    {
        if (type != SessionJoin.ForceTerminateRequest || _joined is not { } session || _login is null)
        {
            return ValueTask.FromResult(false);
        }

        if (_joinMode != SessionJoinAccess.Moderator)
        {
            return ValueTask.FromResult(false);
        }

        LogForceTerminated(_logger, session.SessionId, _login.User);
        session.Broadcast($"User {_login.User} forcefully terminated the session.");
        session.Terminate();
        return ValueTask.FromResult(true);
    }

    /// <summary>
    /// <c>tsh join</c>: the joiner's roles must allow the mode for the owner's roles (the owner may always rejoin).
    /// The joiner gets the current screen, then live output until the session ends or they leave; a peer's
    /// keystrokes reach the terminal, an observer's and a moderator's do not.
    /// </summary>
    private async Task<int> JoinAsync(NodeLogin login, Ssh.Connection.SshSessionStreams streams, CancellationToken cancellationToken)
    {
        var sessionId = _joinSessionId ?? "";
        var session = sessionId.Length == 0 ? null : _options.Sessions.Find(sessionId);
        if (session is null)
        {
            return await RefuseJoinAsync(streams, sessionId.Length == 0
                ? "teleport: no session to join: set TELEPORT_SESSION to a session id (tsh join does)"
                : $"teleport: session {sessionId} is not running on node {_options.Hostname} (see tsh sessions ls)", cancellationToken);
        }

        if (!SessionJoinAccess.AllModes.Contains(_joinMode, StringComparer.Ordinal))
        {
            return await RefuseJoinAsync(streams, $"teleport: \"{_joinMode}\" is not a participant mode: use observer, moderator or peer", cancellationToken);
        }

        var allowed = SessionJoinAccess.Modes(login.User, login.JoinRoles!, session.Owner, [.. session.OwnerRoles]);
        if (SessionJoinAccess.Refusal(login.User, _joinMode, session.Owner, allowed) is { } refusal)
        {
            LogJoinRefused(_logger, session.SessionId, login.User, _joinMode, refusal);
            return await RefuseJoinAsync(streams, "teleport: " + refusal, cancellationToken);
        }

        _joined = session;
        var party = session.Join(login.User, _joinMode, login.ClientAddress);
        LogJoined(_logger, session.SessionId, login.User, _joinMode);
        await ReportAsync(() => _observer.ParticipantJoinedAsync(session.Describe(), login, _joinMode, cancellationToken));
        using var leaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = party.CopyOutputAsync(streams.Output, cancellationToken);
        var input = ReadParticipantInputAsync(session, streams.Input, party.Mode == SessionJoinAccess.Peer, leaving.Token);
        try
        {
            await Task.WhenAny(output, session.Ended).WaitAsync(cancellationToken);
            if (session.Ended.IsCompleted)
            {
                // The rest of the output first, then the status the program ended with.
                await output.WaitAsync(OutputDrainTimeout, cancellationToken);
                return await session.Ended ?? AccessEndedExitStatus;
            }

            return 0;
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
            return 0;
        }
        finally
        {
            await leaving.CancelAsync();
            session.Leave(party);
            LogLeft(_logger, session.SessionId, login.User);
            await ReportAsync(() => _observer.ParticipantLeftAsync(session.Describe(), login, CancellationToken.None));
            await input.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>A peer's keystrokes go to the terminal; anyone else's are read and dropped (observers cannot type).</summary>
    private async Task ReadParticipantInputAsync(SharedSession session, Stream client, bool mayType, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, cancellationToken)) > 0)
            {
                _connection?.Touch();
                if (mayType)
                {
                    await session.WriteInput(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The participant left or the session ended.
        }
    }

    private async Task<int> RefuseJoinAsync(Ssh.Connection.SshSessionStreams streams, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await streams.Error.WriteAsync(Encoding.UTF8.GetBytes(reason + "\r\n"), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone; the log has the reason.
        }

        return 1;
    }
}
