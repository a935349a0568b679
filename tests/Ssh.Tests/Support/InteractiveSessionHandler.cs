using System.Collections.Concurrent;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A session handler with everything beyond exec: it accepts a pty, agent forwarding and window changes and
/// records them, runs <see cref="TestShell"/> as the shell, <see cref="SftpServerProgram"/> as the "sftp"
/// subsystem, and the <see cref="TestSessionHandler"/> commands plus <c>kill SIGNAL</c> (ends by that signal)
/// and <c>wait-signal</c> (runs until a "signal" request, then ends by it).
/// </summary>
internal sealed class InteractiveSessionHandler(SshSessionContext context) : ISshSessionHandler
{
    private readonly TestSessionHandler _commands = new(context);
    private readonly TaskCompletionSource<string> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SshWindowSize _size;

    public SshPtyRequest? Pty { get; private set; }

    public bool AgentForwardingRequested { get; private set; }

    /// <summary>Every window-change, in order.</summary>
    public ConcurrentQueue<SshWindowSize> WindowChanges { get; } = new();

    public SshWindowSize Size => _size;

    public string? Subsystem { get; private set; }

    public ValueTask<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        _commands.SetEnvironmentVariableAsync(name, value, cancellationToken);

    public ValueTask<bool> RequestPtyAsync(SshPtyRequest request, CancellationToken cancellationToken)
    {
        Pty = request;
        _size = request.Size;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> RequestAgentForwardingAsync(CancellationToken cancellationToken)
    {
        AgentForwardingRequested = true;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> ChangeWindowSizeAsync(SshWindowSize size, CancellationToken cancellationToken)
    {
        _size = size;
        WindowChanges.Enqueue(size);
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> SignalAsync(string signal, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_signal.TrySetResult(signal));

    public ValueTask<SshProgram?> ShellAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(new TestShell(this, context).RunAsync);

    public ValueTask<SshProgram?> SubsystemAsync(string name, CancellationToken cancellationToken)
    {
        Subsystem = name;
        return ValueTask.FromResult<SshProgram?>(name == "sftp" ? SftpServerProgram.RunAsync : null);
    }

    public ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken)
    {
        var parts = command.Split(' ', 2);
        return parts[0] switch
        {
            "kill" => ValueTask.FromResult<SshProgram?>((_, _) => throw new SshExitSignalException(parts[1], coreDumped: false, "killed by the test")),
            "wait-signal" => ValueTask.FromResult<SshProgram?>(WaitForSignalAsync),
            _ => _commands.ExecAsync(command, cancellationToken),
        };
    }

    private async Task<int> WaitForSignalAsync(SshSessionStreams streams, CancellationToken cancellationToken)
    {
        await streams.Output.WriteAsync("waiting\n"u8.ToArray(), cancellationToken);
        var signal = await _signal.Task.WaitAsync(cancellationToken);
        throw new SshExitSignalException(signal);
    }
}
