
namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Runs the real OpenSSH ssh-keygen (the test oracle) with TZ=UTC so printed times are predictable.</summary>
internal static class SshKeygen
{
    private const string Executable = "/usr/bin/ssh-keygen";

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var run = ProcessRun.Run(Executable, arguments, new Dictionary<string, string> { ["TZ"] = "UTC" });
        return (run.ExitCode, run.Text, run.Error);
    }

    /// <summary>Runs ssh-keygen and fails the test with its stderr if it exits non-zero.</summary>
    public static string RunOk(params string[] arguments)
    {
        var (exitCode, output, error) = Run(arguments);
        Assert.True(exitCode == 0, $"ssh-keygen {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        return output;
    }

    /// <summary>Creates an unencrypted key pair at <paramref name="path"/> (and path.pub).</summary>
    public static void GenerateKey(string path, string type, int? bits = null, string passphrase = "")
    {
        var arguments = new List<string> { "-q", "-t", type, "-N", passphrase, "-C", "oracle", "-f", path };
        if (bits is { } b)
        {
            arguments.AddRange(["-b", b.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        RunOk([.. arguments]);
    }
}
