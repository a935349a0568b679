namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// <c>teleport start</c> cannot go on for a reason the operator can fix; the message is the sentence printed after
/// "ERROR: " (by <see cref="StartupFailure"/>) and the process exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class StartupException(string message, Exception? inner = null, int exitCode = 1) : Exception(message, inner)
{
    /// <summary>2 for a configuration the process refuses to run with, 1 for a start that failed.</summary>
    public int ExitCode { get; } = exitCode;
}
