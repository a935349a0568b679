using System.Diagnostics;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Runs an external tool to completion with a timeout, capturing its output.</summary>
internal static class ProcessRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static (int ExitCode, string Output, string Error) Run(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TZ"] = "UTC";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.StandardInput.Close(); // never let a tool wait for a passphrase prompt
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish within {Timeout}.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
