using Teleport.Orleans.Agent.Recording;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    /// <summary>A shell or command on a pseudo-terminal: output on the terminal, recorded when the cluster records.</summary>
    private async Task<int> RunOnTerminalAsync(
        NodeLogin login, SshPtyRequest pty, string? command, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        var session = Describe(login, command, interactive: true);
        var (user, error) = ResolveUser(login);
        if (user is null)
        {
            return await FailAsync(session, error!, streams, cancellationToken);
        }

        await using var agent = await OpenAgentAsync(user, streams, cancellationToken);
        var dropPrivileges = LoginCommand.MustDropPrivileges(user);
        PseudoTerminal terminal;
        ChildProcess child;
        try
        {
            lock (_lock)
            {
                terminal = PseudoTerminal.Open(_size, pty.Modes);
            }

            if (dropPrivileges)
            {
                terminal.GiveTo(user);
            }

            var launch = command is null ? LoginCommand.Shell(user, dropPrivileges) : LoginCommand.Command(user, command, dropPrivileges);
            var environment = WithAgent(SessionEnvironment.Build(user, _environment, pty.Terminal, terminal.SlavePath, ClientEndPoint(login), _serverEndPoint), agent);
            // As Teleport: the session's id, which tsh join takes (and scripts may log).
            environment.Add("SSH_SESSION_ID=" + session.SessionId);
            child = ChildProcess.Spawn(launch.Path, launch.Arguments, environment, WorkingDirectory(user), terminal.SlavePath);
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException or ArgumentException)
        {
            return await FailAsync(session, "teleport: could not start the session: " + exception.Message, streams, cancellationToken);
        }

        using (terminal)
        {
            _child = child;
            LogStarted(_logger, session.SessionId, login.Login, child.Id, command ?? "(shell)", terminal.SlavePath);
            var recorder = StartRecorder(login, user, pty, session);
            lock (_lock)
            {
                _terminal = terminal;
                _recorder = recorder;

                // A window-change that raced the start is applied now.
                terminal.Resize(_size);
            }

            await ReportAsync(() => _observer.SessionStartedAsync(session, cancellationToken));
            using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var terminated = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await using var output = terminal.OpenStream();
            await using var input = terminal.OpenStream();
            await using var peerInput = terminal.OpenStream();
            var shared = Share(session, streams, recorder, peerInput, terminated);
            var outputPump = PumpTerminalOutputAsync(output, streams.Output, recorder, shared, cancellationToken);
            var inputPump = PumpInputAsync(streams.Input, input, closeWhenDone: false, TerminalBufferSize, stopInput.Token);

            ChildExit exit;
            try
            {
                exit = await WaitOrTerminateAsync(child, terminated.Token);
                try
                {
                    await outputPump.WaitAsync(OutputDrainTimeout, CancellationToken.None);
                }
                catch (TimeoutException)
                {
                    LogOutputNotDrained(_logger, session.SessionId);
                }
            }
            finally
            {
                await stopInput.CancelAsync();
                if (cancellationToken.IsCancellationRequested)
                {
                    child.SignalGroup(UnixSignals.SIGKILL);
                }

                lock (_lock)
                {
                    _terminal = null;
                    _recorder = null;
                }

                _options.Sessions.Remove(shared);
            }

            shared.End(exit.Code);

            string? recordingPath = null;
            if (recorder is not null)
            {
                recordingPath = await recorder.CompleteAsync();
            }

            return await EndAsync(shared.Describe(), exit, recordingPath);
        }
    }

    private AsciicastRecorder? StartRecorder(NodeLogin login, UnixUser user, SshPtyRequest pty, NodeSessionInfo session)
    {
        if (!_options.RecordSessions)
        {
            return null;
        }

        try
        {
            return AsciicastRecorder.Start(_options.RecordingDirectory, new RecordingHeader
            {
                SessionId = session.SessionId,
                Width = (int)Math.Min(_size.Columns, 10000),
                Height = (int)Math.Min(_size.Rows, 10000),
                Started = session.Started,
                Terminal = pty.Terminal,
                Shell = user.Shell,
                Title = $"{login.Login}@{_options.Hostname}",
                User = login.User,
                Login = login.Login,
                NodeId = _options.NodeId,
                Hostname = _options.Hostname,
                ClusterName = _options.ClusterName,
                Command = session.Command,
            }, _logger);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Recording at the node is asynchronous in Teleport too: a full disk loses the recording, not the session.
            LogRecordingFailed(_logger, session.SessionId, exception);
            return null;
        }
    }

    /// <summary>Terminal output to the client (and the recorder) until every holder of the terminal is gone (EIO).</summary>
    private static async Task PumpTerminalOutputAsync(
        Stream terminal, Stream client, AsciicastRecorder? recorder, SharedSessions.SharedSession shared, CancellationToken cancellationToken)
    {
        var buffer = new byte[TerminalBufferSize];
        try
        {
            int read;
            while ((read = await terminal.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (recorder is not null)
                {
                    await recorder.OutputAsync(buffer.AsSpan(0, read), cancellationToken);
                }

                await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                shared.Output(buffer.AsSpan(0, read));
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // EIO: the terminal was hung up; otherwise the client went away.
        }
    }

    /// <summary>Client input to the program (it keeps the connection from idling); with <paramref name="closeWhenDone"/>, the client's EOF closes the program's stdin.</summary>
    private async Task PumpInputAsync(Stream client, Stream program, bool closeWhenDone, int bufferSize, CancellationToken cancellationToken)
    {
        var buffer = new byte[bufferSize];
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, cancellationToken)) > 0)
            {
                _connection?.Touch();
                await program.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The program stopped reading (EPIPE) or the session ended.
        }
        finally
        {
            if (closeWhenDone)
            {
                await program.DisposeAsync();
            }
        }
    }
}
