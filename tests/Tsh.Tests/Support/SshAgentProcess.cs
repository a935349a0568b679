using System.Diagnostics;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>
/// A real OpenSSH ssh-agent in the foreground (-D) on a socket in a temp directory, holding one fresh ed25519 key
/// whose comment is <see cref="KeyComment"/>. Disposing stops it by process id and removes the directory.
/// </summary>
internal sealed class SshAgentProcess : IDisposable
{
    public const string KeyComment = "tsh-forwarded-agent-key";

    private readonly Process _process;
    private readonly TempDirectory _directory = new();

    private SshAgentProcess()
    {
        var start = new ProcessStartInfo("/usr/bin/ssh-agent") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-D", "-a", SocketPath })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("ssh-agent did not start");
    }

    public string SocketPath => _directory.File("agent.sock");

    /// <summary>SSH_AUTH_SOCK for a client that should forward this agent.</summary>
    public Dictionary<string, string> Environment => new() { ["SSH_AUTH_SOCK"] = SocketPath };

    public static async Task<SshAgentProcess> StartAsync()
    {
        var agent = new SshAgentProcess();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!File.Exists(agent.SocketPath))
            {
                await Task.Delay(20, deadline.Token);
            }

            var key = agent._directory.File("key");
            await RunAsync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", KeyComment, "-f", key], null);
            await RunAsync("/usr/bin/ssh-add", [key], agent.SocketPath);
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static async Task RunAsync(string executable, string[] arguments, string? agentSocket)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (agentSocket is not null)
        {
            start.Environment["SSH_AUTH_SOCK"] = agentSocket;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{executable} failed: {await error}");
    }
}
