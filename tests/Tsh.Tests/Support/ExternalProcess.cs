using System.Diagnostics;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>Runs a real program (the tsh binary under script(1), ssh with tsh as ProxyCommand) and collects its output.</summary>
internal static class ExternalProcess
{
    /// <summary>
    /// How a shell runs tsh from its own build output (cli/tsh/bin/CONFIG/net10.0): the copy beside the tests
    /// resolves its dependencies against the test's ASP.NET framework and does not load on its own.
    /// </summary>
    public static string TshCommand
    {
        get
        {
            var testOutput = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
            var own = testOutput.Replace(Path.Combine("tests", "Tsh.Tests"), Path.Combine("cli", "tsh"), StringComparison.Ordinal);
            return $"dotnet {Path.Combine(own, "tsh.dll")}";
        }
    }

    public static async Task<TshResult> RunAsync(string executable, IEnumerable<string> arguments, string tshHome, string stdin = "")
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TSH_HOME"] = tshHome;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish: {await error}");
        }

        return new TshResult(process.ExitCode, await output, await error);
    }
}
