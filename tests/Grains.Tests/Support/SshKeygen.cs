using System.Diagnostics;

namespace Teleport.Orleans.Grains.Tests.Support;

/// <summary>Runs OpenSSH's ssh-keygen, the oracle for certificate contents.</summary>
internal static class SshKeygen
{
    public static async Task<string> DescribeCertificate(string certificateLine)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cert-{Guid.NewGuid():N}-cert.pub");
        await File.WriteAllTextAsync(path, certificateLine + "\n");
        try
        {
            var start = new ProcessStartInfo("ssh-keygen", ["-L", "-f", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ssh-keygen -L failed: {error}");
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The indented lines under a heading such as "Principals:".</summary>
    public static string[] Section(string output, string heading)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim().StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no '{heading}' in ssh-keygen output:\n{output}");
        return [.. lines.Skip(start + 1).TakeWhile(l => l.StartsWith("                ", StringComparison.Ordinal)).Select(l => l.Trim())];
    }
}
