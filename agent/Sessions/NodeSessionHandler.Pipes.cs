using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    /// <summary>A command (or a shell reading stdin) without a terminal: stdout and stderr apart, the client's EOF closes stdin.</summary>
    private async Task<int> RunWithPipesAsync(NodeLogin login, string? command, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        var session = Describe(login, command, interactive: false);
        var (user, error) = ResolveUser(login);
        if (user is null)
        {
            return await FailAsync(session, error!, streams, cancellationToken);
        }

        var dropPrivileges = LoginCommand.MustDropPrivileges(user);
        var launch = command is null ? LoginCommand.Shell(user, dropPrivileges) : LoginCommand.Command(user, command, dropPrivileges);
        var exit = await RunPipedAsync(session, user, launch, streams, cancellationToken);
        return exit is null ? 1 : await EndAsync(session, exit.Value, recordingPath: null);
    }

    /// <summary>The "sftp" subsystem: OpenSSH's sftp-server as the login, speaking SFTP over the channel.</summary>
    private async Task<int> RunSftpAsync(NodeLogin login, NodeSessionInfo session, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        var (user, error) = ResolveUser(login);
        if (user is null)
        {
            return await FailAsync(session, error!, streams, cancellationToken);
        }

        var launch = LoginCommand.Program(user, [_options.SftpServerPath], LoginCommand.MustDropPrivileges(user));
        var exit = await RunPipedAsync(session, user, launch, streams, cancellationToken);
        return exit is null ? 1 : await EndAsync(session, exit.Value, recordingPath: null);
    }

    /// <summary>Spawns <paramref name="launch"/> with three pipes and copies until the program exits and its output ends; null when it could not start.</summary>
    private async Task<ChildExit?> RunPipedAsync(
        NodeSessionInfo session, UnixUser user, LoginCommand launch, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        using var stdin = UnixPipe.Create();
        using var stdout = UnixPipe.Create();
        using var stderr = UnixPipe.Create();
        await using var agent = await OpenAgentAsync(user, streams, cancellationToken);
        ChildProcess child;
        try
        {
            var environment = WithAgent(SessionEnvironment.Build(user, _environment, null, null, ClientEndPoint(session.Login), _serverEndPoint), agent);
            child = ChildProcess.Spawn(
                launch.Path, launch.Arguments, environment, WorkingDirectory(user), terminalPath: null,
                (stdin.ReadFd, stdout.WriteFd, stderr.WriteFd));
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or ArgumentException)
        {
            await FailAsync(session, "teleport: could not start the session: " + exception.Message, streams, cancellationToken);
            return null;
        }

        _child = child;
        LogStarted(_logger, session.SessionId, session.Login.Login, child.Id, session.Command ?? launch.Arguments[^1], "");
        await ReportAsync(() => _observer.SessionStartedAsync(session, cancellationToken));

        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = stdout.TakeReader();
        var errors = stderr.TakeReader();
        var input = stdin.TakeWriter();
        var inputPump = PumpInputAsync(streams.Input, input, closeWhenDone: true, BufferSize, stopInput.Token);
        var outputPump = CopyOutputAsync(output, streams.Output, cancellationToken);
        var errorPump = CopyOutputAsync(errors, streams.Error, cancellationToken);
        try
        {
            var exit = await WaitOrTerminateAsync(child, cancellationToken);

            // Output written just before the exit is still in the pipes; processes left in the background that hold
            // them keep the session open, as with OpenSSH, until they finish or the client disconnects.
            await Task.WhenAll(outputPump, errorPump).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return exit;
        }
        finally
        {
            await stopInput.CancelAsync();
            if (cancellationToken.IsCancellationRequested)
            {
                child.SignalGroup(UnixSignals.SIGKILL);
            }

            await output.DisposeAsync();
            await errors.DisposeAsync();
            await input.DisposeAsync();
        }
    }

    private static async Task CopyOutputAsync(Stream program, Stream client, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        try
        {
            int read;
            while ((read = await program.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; the process group is ended by the caller.
        }
    }
}
