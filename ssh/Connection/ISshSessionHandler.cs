namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// Answers the requests on one session channel (RFC 4254 §6), one method per request type. Every method
/// defaults to "not supported", which the client receives as CHANNEL_FAILURE. Methods that start something
/// return the <see cref="SshProgram"/> to run (null refuses); they should decide quickly, because the
/// connection processes no other message until they return — the long work belongs in the program.
/// A handler that is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed when the channel closes.
/// </summary>
/// <remarks>
/// Planned additions, same shape: pty-req, shell, subsystem, signal, window-change; and on the connection,
/// direct-tcpip channels and tcpip-forward global requests.
/// </remarks>
public interface ISshSessionHandler
{
    /// <summary>"env" (RFC 4254 §6.4): return true to accept the variable for the program started later.</summary>
    ValueTask<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        ValueTask.FromResult(false);

    /// <summary>"exec" (RFC 4254 §6.5): the program that runs <paramref name="command"/>, or null to refuse.</summary>
    ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(null);
}
