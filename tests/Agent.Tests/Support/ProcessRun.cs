using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.Agent.Tests.Support;

/// <summary>The outcome of one run of a client program (ssh, scp, sftp).</summary>
internal sealed record ProcessRun(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);

    public override string ToString() => $"exit {ExitCode}, stdout '{Text}', stderr '{Error}'";

    /// <summary>Runs <paramref name="executable"/>, feeds <paramref name="input"/> then closes stdin, and captures both outputs.</summary>
    public static async Task<ProcessRun> RunAsync(string executable, IEnumerable<string> arguments, byte[]? input = null, IDictionary<string, string>? environment = null)
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + executable);
        var output = new MemoryStream();
        var outputDone = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        var inputDone = Task.Run(async () =>
        {
            try
            {
                if (input is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(input);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The client exited before reading all of stdin; its exit code tells the story.
            }
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish in time");
        }

        await Task.WhenAll(outputDone, error, inputDone);
        return new ProcessRun(process.ExitCode, output.ToArray(), error.Result);
    }
}
