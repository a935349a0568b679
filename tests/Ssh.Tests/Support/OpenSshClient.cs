using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>The outcome of one run of the OpenSSH client.</summary>
internal sealed record SshRun(int ExitCode, byte[] Output, string Error)
{
    public string Text => Encoding.UTF8.GetString(Output);

    public override string ToString() => $"exit {ExitCode}, stdout '{Text}', stderr '{Error}'";
}

/// <summary>Runs the real OpenSSH client (/usr/bin/ssh), feeding stdin and capturing stdout as bytes.</summary>
internal static class OpenSshClient
{
    private const string Executable = "/usr/bin/ssh";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <param name="arguments">ssh's arguments.</param>
    /// <param name="input">Bytes for ssh's stdin.</param>
    /// <param name="holdInputUntil">Keeps stdin open (after <paramref name="input"/>) until this completes, for long-running sessions.</param>
    public static async Task<SshRun> RunAsync(IEnumerable<string> arguments, byte[]? input = null, Task? holdInputUntil = null)
    {
        var start = new ProcessStartInfo(Executable)
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ssh.");
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
                // ssh exited before reading all of stdin; its exit code tells the story.
            }
        });

        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ssh did not finish within {Timeout}; stderr so far: {(error.IsCompleted ? error.Result : "")}");
        }

        await Task.WhenAll(outputDone, error, inputDone);
        return new SshRun(process.ExitCode, output.ToArray(), error.Result);
    }
}
