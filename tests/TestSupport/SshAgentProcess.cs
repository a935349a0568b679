using System.Diagnostics;

namespace Teleport.Orleans.TestSupport;

/// <summary>
/// A real OpenSSH ssh-agent in the foreground (-D) on a socket in a temp directory, holding one fresh ed25519 key
/// whose comment is <see cref="KeyComment"/>. Disposing stops it by process id and removes the directory.
/// </summary>
public sealed class SshAgentProcess : IDisposable
{
    public const string KeyComment = "forwarded-agent-test-key";

    private readonly Process _process;
    private readonly string _directory;

    private SshAgentProcess(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public string SocketPath => Path.Combine(_directory, "agent.sock");

    /// <summary>SSH_AUTH_SOCK for a client that should forward this agent.</summary>
    public Dictionary<string, string> Environment => new() { ["SSH_AUTH_SOCK"] = SocketPath };

    public static async Task<SshAgentProcess> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("ssh-agent-test-").FullName;
        var start = new ProcessStartInfo("/usr/bin/ssh-agent") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-D", "-a", Path.Combine(directory, "agent.sock") })
        {
            start.ArgumentList.Add(argument);
        }

        var agent = new SshAgentProcess(Process.Start(start) ?? throw new InvalidOperationException("ssh-agent did not start"), directory);
        try
        {
            await Eventually.TrueAsync(() => File.Exists(agent.SocketPath));
            var key = Path.Combine(directory, "key");
            var keygen = await ProcessRun.RunAsync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", KeyComment, "-f", key]);
            EnsureSucceeded("ssh-keygen", keygen);
            var add = await ProcessRun.RunAsync("/usr/bin/ssh-add", [key], environment: agent.Environment);
            EnsureSucceeded("ssh-add", add);
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
        Directory.Delete(_directory, recursive: true);
    }

    private static void EnsureSucceeded(string program, ProcessRun run)
    {
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {run}");
        }
    }
}
