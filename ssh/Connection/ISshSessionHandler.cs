namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Answers the requests on one session channel (RFC 4254 §6), one method per request type. Every method
/// defaults to "not supported", which the client receives as CHANNEL_FAILURE. Methods that start something
/// return the <see cref="SshProgram"/> to run (null refuses); they should decide quickly, because the
/// connection processes no other message until they return — the long work belongs in the program.
/// Requests that prepare a program (env, pty-req, auth-agent-req) and those that start one are refused by the
/// channel once a program runs; window-change and signal are passed on at any time before the channel closes.
/// A handler that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed when the channel closes.
/// </summary>
public interface ISshSessionHandler
{
    /// <summary>"env" (RFC 4254 §6.4): return true to accept the variable for the program started later.</summary>
    ValueTask<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>
    /// "pty-req" (RFC 4254 §6.2): return true to give the program started later a terminal of this type, size
    /// and modes. The program then gets the terminal's input and writes its output (stdout only, usually).
    /// </summary>
    ValueTask<bool> RequestPtyAsync(SshPtyRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>"auth-agent-req@openssh.com": return true to accept (record) the client's wish to forward its agent.</summary>
    ValueTask<bool> RequestAgentForwardingAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>"exec" (RFC 4254 §6.5): the program that runs <paramref name="command"/>, or null to refuse.</summary>
    ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(null);

    /// <summary>"shell" (RFC 4254 §6.5): the user's login shell as a program, or null to refuse.</summary>
    ValueTask<SshProgram?> ShellAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(null);

    /// <summary>"subsystem" (RFC 4254 §6.5), e.g. "sftp": the program that serves it, or null to refuse.</summary>
    ValueTask<SshProgram?> SubsystemAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(null);

    /// <summary>"window-change" (RFC 4254 §6.7): the client's terminal was resized. Clients ask no reply.</summary>
    ValueTask<bool> ChangeWindowSizeAsync(SshWindowSize size, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>"signal" (RFC 4254 §6.9): deliver <paramref name="signal"/> (a name without "SIG", e.g. "TERM") to the program.</summary>
    ValueTask<bool> SignalAsync(string signal, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>
    /// A request of a type not named above (e.g. Teleport's "x-teleport-force-terminate" from a moderator), at any
    /// time while the channel is open: return true to accept it. The default refuses, as RFC 4254 asks.
    /// </summary>
    ValueTask<bool> OtherRequestAsync(string type, byte[] data, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);
}
