using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Recording;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// Runs what a session channel asks for on the node, as the host login that authentication granted
/// (<see cref="NodeLogin"/>): a login shell or a command on a pseudo-terminal (recorded), a command with pipes
/// (stdout and stderr apart), or OpenSSH's sftp-server. Every program leads its own session and process group;
/// closing the channel or losing the connection hangs the group up and kills what is left after a grace period.
/// </summary>
internal sealed partial class NodeSessionHandler : ISshSessionHandler
{
    /// <summary>How long a session's processes get between SIGHUP and SIGKILL when the client goes away.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long the output of a finished PTY program may take to drain (the kernel hangs the terminal up).</summary>
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A pipe's reads and writes: bulk data (scp, `cat file`) moves in chunks as large as a channel packet.</summary>
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// A terminal's: Linux hands a pty's output out at most 4 KiB per read, and input is typing, so larger buffers only
    /// cost memory (two per session, held for its life: 128 KiB of the node's 268 KiB per held session).
    /// </summary>
    private const int TerminalBufferSize = 8 * 1024;

    private readonly SshSessionContext _context;
    private readonly NodeSessionOptions _options;
    private readonly INodeSessionObserver _observer;
    private readonly ILogger _logger;
    private readonly IPEndPoint? _serverEndPoint;
    private readonly Func<string, UnixUser?> _lookupUser;
    private readonly NodeLogin? _login;
    private readonly MonitoredConnection? _connection;
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private SshPtyRequest? _pty;
    private SshWindowSize _size;
    private PseudoTerminal? _terminal;
    private AsciicastRecorder? _recorder;
    private ChildProcess? _child;

    /// <param name="context">The session channel and its authenticated connection (whose state is a <see cref="NodeLogin"/>).</param>
    /// <param name="options">The node's identity and where recordings go.</param>
    /// <param name="observer">Receives the session's audit events.</param>
    /// <param name="logger">The node's log.</param>
    /// <param name="serverEndPoint">The node's address on this connection, for SSH_CONNECTION and audit.</param>
    /// <param name="lookupUser">The user database (getpwnam_r by default); tests substitute a shell.</param>
    /// <param name="monitor">Ends the session when access ends (locks, expiry, idleness); null: never.</param>
    public NodeSessionHandler(
        SshSessionContext context, NodeSessionOptions options, INodeSessionObserver observer, ILogger logger,
        IPEndPoint? serverEndPoint = null, Func<string, UnixUser?>? lookupUser = null, AccessMonitor? monitor = null)
    {
        _context = context;
        _options = options;
        _observer = observer;
        _logger = logger;
        _serverEndPoint = serverEndPoint;
        _lookupUser = lookupUser ?? UnixUser.Lookup;
        _login = context.Connection.AuthenticationState as NodeLogin;
        if (_login is null)
        {
            LogNoLogin(_logger, context.Connection.UserName);
        }
        else
        {
            _connection = monitor?.Track(context.Connection, _login);
        }
    }

    /// <summary>This session's id: it names the recording and the audit events.</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString();

    public ValueTask<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        if (_login?.JoinRoles is not null)
        {
            return ValueTask.FromResult(AcceptJoinVariable(name, value));
        }

        var accepted = _login is not null && SessionEnvironment.IsAccepted(name) && !value.Contains('\0', StringComparison.Ordinal);
        if (accepted)
        {
            _environment[name] = value;
        }

        return ValueTask.FromResult(accepted);
    }

    public ValueTask<bool> RequestPtyAsync(SshPtyRequest request, CancellationToken cancellationToken)
    {
        if (_login is not { PtyAllowed: true })
        {
            LogPtyRefused(_logger, _context.Connection.UserName);
            return ValueTask.FromResult(false);
        }

        _pty = request;
        _size = request.Size;
        return ValueTask.FromResult(true);
    }

    public ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(_login is null or { JoinRoles: not null } ? null : Monitored((streams, ct) => RunAsync(_login, command, streams, ct)));

    public ValueTask<SshProgram?> ShellAsync(CancellationToken cancellationToken) => ValueTask.FromResult<SshProgram?>(_login switch
    {
        null => null,
        { JoinRoles: not null } => Monitored((streams, ct) => JoinAsync(_login, streams, ct)),
        _ => Monitored((streams, ct) => RunAsync(_login, null, streams, ct)),
    });

    public async ValueTask<SshProgram?> SubsystemAsync(string name, CancellationToken cancellationToken)
    {
        if (_login is null or { JoinRoles: not null })
        {
            return null;
        }

        var session = Describe(_login, command: null, interactive: false);
        if (name != "sftp")
        {
            await ReportAsync(() => _observer.SubsystemAsync(session, name, $"unknown subsystem \"{name}\"", cancellationToken));
            return null;
        }

        await ReportAsync(() => _observer.SubsystemAsync(session, name, null, cancellationToken));
        return Monitored((streams, ct) => RunSftpAsync(_login, session, streams, ct));
    }

    public ValueTask<bool> ChangeWindowSizeAsync(SshWindowSize size, CancellationToken cancellationToken)
    {
        _connection?.Touch();
        lock (_lock)
        {
            _size = size;
            _terminal?.Resize(size);
            _recorder?.Resize(size.Columns, size.Rows);
        }

        return ValueTask.FromResult(_pty is not null);
    }

    public ValueTask<bool> SignalAsync(string signal, CancellationToken cancellationToken)
    {
        _connection?.Touch();
        var number = UnixSignals.FromName(signal);
        var child = _child;
        var delivered = number is not null && child is not null && !child.Exited.IsCompleted && child.SignalGroup(number.Value);
        return ValueTask.FromResult(delivered);
    }

    private Task<int> RunAsync(NodeLogin login, string? command, SshSessionStreams streams, CancellationToken cancellationToken) =>
        _pty is { } pty
            ? RunOnTerminalAsync(login, pty, command, streams, cancellationToken)
            : RunWithPipesAsync(login, command, streams, cancellationToken);

    private NodeSessionInfo Describe(NodeLogin login, string? command, bool interactive) => new()
    {
        SessionId = SessionId,
        Login = login,
        ServerAddress = _serverEndPoint?.ToString() ?? "",
        Interactive = interactive,
        Command = command,
        TerminalSize = _pty is null ? "" : $"{_size.Columns}:{_size.Rows}",
        Started = DateTimeOffset.UtcNow,
    };

    /// <summary>The login's user entry, or why this node cannot start a session as it.</summary>
    private (UnixUser? User, string? Error) ResolveUser(NodeLogin login)
    {
        var user = _lookupUser(login.Login);
        if (user is null)
        {
            return (null, $"teleport: there is no user \"{login.Login}\" on this node");
        }

        if (!UnixUser.ProcessIsRoot && user.Name != UnixUser.CurrentUserName)
        {
            return (null, $"teleport: this node runs as \"{UnixUser.CurrentUserName}\" and can only start sessions as that user, not as \"{login.Login}\"");
        }

        return (user, null);
    }

    private static string WorkingDirectory(UnixUser user) => Directory.Exists(user.Home) ? user.Home : "/";

    private IPEndPoint? ClientEndPoint(NodeLogin login)
    {
        if (_context.Connection.RemoteEndPoint is IPEndPoint remote)
        {
            return remote.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(remote.Address.MapToIPv4(), remote.Port) : remote;
        }

        return IPEndPoint.TryParse(login.ClientAddress, out var parsed) ? parsed : null;
    }

    /// <summary>Calls the observer; a failing report is logged and never ends the session.</summary>
    private async ValueTask ReportAsync(Func<ValueTask> report)
    {
        try
        {
            await report();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReportFailed(_logger, SessionId, exception);
        }
        catch (OperationCanceledException)
        {
            // The connection ended while reporting; the observer spools or drops as it sees fit.
        }
    }

    /// <summary>Tells the client why its program did not start and reports the failure.</summary>
    private async Task<int> FailAsync(NodeSessionInfo session, string error, SshSessionStreams streams, CancellationToken cancellationToken)
    {
        LogStartFailed(_logger, session.SessionId, session.Login.Login, error);
        var outcome = new NodeSessionOutcome(null, null, error) { Ended = DateTimeOffset.UtcNow };
        if (session.Command is not null)
        {
            await ReportAsync(() => _observer.ExecAsync(session, outcome, cancellationToken));
        }

        try
        {
            await streams.Error.WriteAsync(System.Text.Encoding.UTF8.GetBytes(error + "\r\n"), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone; the log and the audit event have the reason.
        }

        return 1;
    }

    /// <summary>Waits for the program; when the client goes away, hangs its group up, then kills it after the grace.</summary>
    private async Task<ChildExit> WaitOrTerminateAsync(ChildProcess child, CancellationToken cancellationToken)
    {
        try
        {
            return await child.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogTerminating(_logger, SessionId, child.Id);
            child.SignalGroup(UnixSignals.SIGHUP);
            try
            {
                return await child.Exited.WaitAsync(KillGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                child.SignalGroup(UnixSignals.SIGKILL);
                return await child.Exited;
            }
        }
    }

    /// <summary>Reports the end and turns the exit into what the channel sends (exit-status or exit-signal).</summary>
    private async Task<int> EndAsync(NodeSessionInfo session, ChildExit exit, string? recordingPath)
    {
        // The end is reported even when the client's disconnect ended the session.
        var cancellationToken = CancellationToken.None;
        var signal = exit.Signal is { } number ? UnixSignals.ToName(number) : null;
        var outcome = new NodeSessionOutcome(exit.Code, signal) { Ended = DateTimeOffset.UtcNow };
        LogEnded(_logger, session.SessionId, exit.Code, signal);
        if (session.Command is not null)
        {
            await ReportAsync(() => _observer.ExecAsync(session, outcome, cancellationToken));
        }

        await ReportAsync(() => _observer.SessionEndedAsync(session, outcome, recordingPath, cancellationToken));
        if (signal is not null)
        {
            throw new SshExitSignalException(signal, exit.CoreDumped, "");
        }

        return exit.Code ?? 0;
    }
}
