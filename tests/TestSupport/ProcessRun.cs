using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.TestSupport;

/// <summary>The outcome of one run of an external program (ssh, scp, sftp, ssh-keygen, openssl, tsh under script).</summary>
public sealed record ProcessRun(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);

    public override string ToString() => $"exit {ExitCode}, stdout '{Text}', stderr '{Error}'";

    /// <summary>The same, for callers that cannot await (test data built in constructors and member data).</summary>
    public static ProcessRun Run(string executable, IEnumerable<string> arguments, IDictionary<string, string>? environment = null) =>
        // On the thread pool: a test's synchronization context must not be needed to finish the wait.
        Task.Run(() => RunAsync(executable, arguments, environment: environment)).GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="executable"/>, feeds <paramref name="input"/> then closes stdin (so no tool waits for a
    /// passphrase prompt), and captures both outputs; killed (with its children) after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="holdInputUntil">Keeps stdin open (after <paramref name="input"/>) until this completes, for long-running sessions.</param>
    public static async Task<ProcessRun> RunAsync(
        string executable,
        IEnumerable<string> arguments,
        byte[]? input = null,
        IDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        Task? holdInputUntil = null)
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

                if (holdInputUntil is not null)
                {
                    await process.StandardInput.BaseStream.FlushAsync();
                    await holdInputUntil;
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The client exited before reading all of stdin; its exit code tells the story.
            }
        });

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish in time: {await error}");
        }

        await Task.WhenAll(outputDone, error, inputDone);
        return new ProcessRun(process.ExitCode, output.ToArray(), error.Result);
    }
}
