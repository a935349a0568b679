namespace Teleport.Orleans.Ssh.Client;

/// <summary>How the remote program ended (RFC 4254 §6.10): an exit code, or the signal that killed it.</summary>
/// <param name="ExitCode">The exit status from <c>exit-status</c>; null if the server sent none.</param>
/// <param name="Signal">The signal name without "SIG" (e.g. <c>TERM</c>) from <c>exit-signal</c>; null otherwise.</param>
/// <param name="CoreDumped">Whether the signalled program dumped core.</param>
/// <param name="ErrorMessage">The server's message accompanying <c>exit-signal</c>, if any.</param>
public sealed record SshExitStatus(int? ExitCode, string? Signal, bool CoreDumped, string? ErrorMessage)
{
    /// <summary>The channel closed without an exit status or signal.</summary>
    public static SshExitStatus None { get; } = new(null, null, false, null);

    public override string ToString() =>
        ExitCode is { } code ? $"exit status {code}"
        : Signal is { } signal ? $"killed by signal {signal}{(CoreDumped ? " (core dumped)" : "")}"
        : "no exit status";
}
