namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Runs the real OpenSSH client (/usr/bin/ssh), feeding stdin and capturing stdout as bytes.</summary>
internal static class OpenSshClient
{
    private const string Executable = "/usr/bin/ssh";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <param name="arguments">ssh's arguments.</param>
    /// <param name="input">Bytes for ssh's stdin.</param>
    /// <param name="holdInputUntil">Keeps stdin open (after <paramref name="input"/>) until this completes, for long-running sessions.</param>
    public static Task<ProcessRun> RunAsync(IEnumerable<string> arguments, byte[]? input = null, Task? holdInputUntil = null) =>
        ProcessRun.RunAsync(Executable, arguments, input, timeout: Timeout, holdInputUntil: holdInputUntil);
}
