using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// A "session" channel (RFC 4254 §6): optional env and pty-req, then one of exec, shell or subsystem; the
/// program's stdin, stdout and stderr as streams; and how it ended. Read <see cref="StandardOutput"/> and
/// <see cref="StandardError"/> concurrently: both share the channel window, so an unread one stalls the other.
/// </summary>
public sealed class SshSession : IAsyncDisposable
{
    private readonly ClientChannel _channel;

    internal SshSession(ClientChannel channel)
    {
        _channel = channel;
    }

    internal ClientChannel Channel => _channel;

    /// <summary>Data to the program; dispose it (or call <see cref="CloseInputAsync"/>) to send EOF.</summary>
    public Stream StandardInput => _channel.Input;

    /// <summary>The program's output; reads return 0 at the server's EOF.</summary>
    public Stream StandardOutput => _channel.Output;

    /// <summary>The program's error output (extended data type 1).</summary>
    public Stream StandardError => _channel.Error;

    /// <summary>"env" (RFC 4254 §6.4); returns false if the server refused it (sshd accepts only AcceptEnv names).</summary>
    public Task<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken = default) =>
        _channel.SendRequestAsync("env", wantReply: true, new SshWriter(64).WriteString(name).WriteString(value).ToArray(), cancellationToken);

    /// <summary>
    /// "pty-req" (RFC 4254 §6.2): a terminal of type <paramref name="terminal"/> (the TERM value, e.g. <c>xterm-256color</c>),
    /// <paramref name="size"/>, and terminal <paramref name="modes"/> (e.g. ECHO = 0); throws <see cref="SshRequestFailedException"/> if refused.
    /// </summary>
    public Task RequestPtyAsync(
        string terminal, SshWindowSize size, IReadOnlyDictionary<SshTerminalMode, uint>? modes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        return RequireAsync("pty-req", PtyRequestData.Encode(terminal, size, modes), $"for a '{terminal}' terminal", cancellationToken);
    }

    /// <summary>
    /// "auth-agent-req@openssh.com": asks the server to offer this session the client's ssh-agent, without a reply
    /// (as OpenSSH). The client must accept the agent channels (<see cref="SshClient.AcceptAgentChannels"/>).
    /// </summary>
    public Task RequestAgentForwardingAsync(CancellationToken cancellationToken = default) =>
        _channel.SendRequestAsync("auth-agent-req@openssh.com", wantReply: false, default, cancellationToken);

    /// <summary>"exec" (RFC 4254 §6.5); throws <see cref="SshRequestFailedException"/> if refused.</summary>
    public Task ExecAsync(string command, CancellationToken cancellationToken = default) =>
        RequireAsync("exec", new SshWriter(64 + command.Length).WriteString(command).ToArray(), $"to run '{command}'", cancellationToken);

    /// <summary>"shell" (RFC 4254 §6.5); throws <see cref="SshRequestFailedException"/> if refused.</summary>
    public Task StartShellAsync(CancellationToken cancellationToken = default) =>
        RequireAsync("shell", default, "", cancellationToken);

    /// <summary>"subsystem" (RFC 4254 §6.5), e.g. <c>sftp</c>; throws <see cref="SshRequestFailedException"/> if refused.</summary>
    public Task StartSubsystemAsync(string name, CancellationToken cancellationToken = default) =>
        RequireAsync("subsystem", new SshWriter(64).WriteString(name).ToArray(), $"for '{name}'", cancellationToken);

    /// <summary>"window-change" (RFC 4254 §6.7) after the terminal was resized; no reply.</summary>
    public Task ChangeWindowSizeAsync(SshWindowSize size, CancellationToken cancellationToken = default) =>
        _channel.SendRequestAsync("window-change", wantReply: false, PtyRequestData.WindowChange(size), cancellationToken);

    /// <summary>"signal" (RFC 4254 §6.9), e.g. <c>TERM</c> or <c>INT</c> (without "SIG"); no reply.</summary>
    public Task SendSignalAsync(string signal, CancellationToken cancellationToken = default) =>
        _channel.SendRequestAsync("signal", wantReply: false, new SshWriter(16).WriteString(signal).ToArray(), cancellationToken);

    /// <summary>Any other channel request (e.g. Teleport's "x-teleport-force-terminate"); with <paramref name="wantReply"/>, whether the server accepted it.</summary>
    public Task<bool> SendRequestAsync(string type, bool wantReply, ReadOnlyMemory<byte> data = default, CancellationToken cancellationToken = default) =>
        _channel.SendRequestAsync(type, wantReply, data, cancellationToken);

    /// <summary>Sends EOF: the program reads end of input.</summary>
    public Task CloseInputAsync() => _channel.SendEofAsync().AsTask();

    /// <summary>
    /// Waits until the server closed the channel and returns how the program ended. Throws
    /// <see cref="SshConnectionException"/> if the connection was lost first.
    /// </summary>
    public async Task<SshExitStatus> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _channel.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_channel.Failure is { } failure)
        {
            throw new SshConnectionException($"The session ended without an exit status: {failure.Message}", (failure as SshConnectionException)?.DisconnectReason, failure);
        }

        return _channel.ExitStatus;
    }

    /// <summary>Closes the channel (the server ends the program, as on a hang-up) and waits briefly for its CLOSE.</summary>
    public async ValueTask DisposeAsync()
    {
        await _channel.SendCloseAsync().ConfigureAwait(false);
        await Task.WhenAny(_channel.Closed, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
    }

    private async Task RequireAsync(string type, ReadOnlyMemory<byte> data, string detail, CancellationToken cancellationToken)
    {
        if (!await _channel.SendRequestAsync(type, wantReply: true, data, cancellationToken).ConfigureAwait(false))
        {
            if (_channel.Failure is { } failure)
            {
                throw new SshConnectionException(failure.Message, (failure as SshConnectionException)?.DisconnectReason, failure);
            }

            throw new SshRequestFailedException(type, detail);
        }
    }
}
