using System.Diagnostics;

namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>Runs a built .NET program to completion and captures what it printed.</summary>
internal static class Dotnet
{
    public static async Task<CommandResult> Run(string dll, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not finish");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
