using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// tsh ssh's exit code from how the remote program ended: its exit status; 128 + the signal number when a signal
/// killed it (as a shell reports it); 255 when the session gave no status (ssh(1)'s code for its own failures).
/// </summary>
internal static class RemoteExit
{
    /// <summary>ssh(1)'s exit code when there is no remote status.</summary>
    public const int NoStatus = 255;

    // The signals RFC 4254 §6.10 names, with their Linux numbers.
    private static readonly Dictionary<string, int> SignalNumbers = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1,
        ["INT"] = 2,
        ["QUIT"] = 3,
        ["ILL"] = 4,
        ["ABRT"] = 6,
        ["FPE"] = 8,
        ["KILL"] = 9,
        ["USR1"] = 10,
        ["SEGV"] = 11,
        ["USR2"] = 12,
        ["PIPE"] = 13,
        ["ALRM"] = 14,
        ["TERM"] = 15,
    };

    public static int Code(SshExitStatus status) =>
        status.ExitCode is { } code ? code
        : status.Signal is { } signal ? (SignalNumbers.TryGetValue(Bare(signal), out var number) ? 128 + number : NoStatus)
        : NoStatus;

    /// <summary>What to tell the user when a signal ended the remote program; null otherwise.</summary>
    public static string? Message(SshExitStatus status)
    {
        if (status.ExitCode is not null || status.Signal is not { } signal)
        {
            return null;
        }

        var detail = string.IsNullOrWhiteSpace(status.ErrorMessage) ? "" : $": {status.ErrorMessage.Trim()}";
        return $"Remote command terminated by signal {Bare(signal)}{(status.CoreDumped ? " (core dumped)" : "")}{detail}.";
    }

    private static string Bare(string signal) => signal.StartsWith("SIG", StringComparison.Ordinal) ? signal[3..] : signal;
}
