using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// tsh ssh's exit code from how the remote program ended: its exit status; 128 + the signal number when a signal
/// killed it (as a shell reports it); 255 when the session gave no status (ssh(1)'s code for its own failures).
/// </summary>
internal static class RemoteExit
{
    /// <summary>ssh(1)'s exit code when there is no remote status.</summary>
    public const int NoStatus = 255;

    public static int Code(SshExitStatus status) =>
        status.ExitCode is { } code ? code
        : status.Signal is { } signal ? (SshSignalNames.FromName(signal) is { } number ? 128 + number : NoStatus)
        : NoStatus;

    /// <summary>What to tell the user when a signal ended the remote program; null otherwise.</summary>
    public static string? Message(SshExitStatus status)
    {
        if (status.ExitCode is not null || status.Signal is not { } signal)
        {
            return null;
        }

        var detail = string.IsNullOrWhiteSpace(status.ErrorMessage) ? "" : $": {status.ErrorMessage.Trim()}";
        return $"Remote command terminated by signal {SshSignalNames.Bare(signal)}{(status.CoreDumped ? " (core dumped)" : "")}{detail}.";
    }
}
