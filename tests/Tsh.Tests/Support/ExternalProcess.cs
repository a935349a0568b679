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

    /// <summary>Runs a program with TSH_HOME set, feeding <paramref name="stdin"/>.</summary>
    public static async Task<TshResult> RunAsync(string executable, IEnumerable<string> arguments, string tshHome, string stdin = "")
    {
        var run = await ProcessRun.RunAsync(
            executable, arguments, System.Text.Encoding.UTF8.GetBytes(stdin), new Dictionary<string, string> { ["TSH_HOME"] = tshHome });
        return new TshResult(run.ExitCode, run.Text, run.Error);
    }
}
