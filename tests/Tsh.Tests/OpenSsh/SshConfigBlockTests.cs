using System.Diagnostics;
using Teleport.Orleans.Cli.Tsh.OpenSsh;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Tsh.Tests.Profiles;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.OpenSsh;

public sealed class SshConfigBlockTests
{
    [Fact]
    public async Task OpenSsh_reads_the_block_as_going_through_tsh_proxy_ssh_for_cluster_hosts()
    {
        using var home = new TempDirectory();
        var store = new ProfileStore(home.Path);
        var config = home.Write("ssh_config", SshConfigBlock.Render(store, ProfileStoreTests.Profile(), "/opt/tsh", home.Path));

        var settings = await SshG(config, "alice@node1.example");
        var other = await SshG(config, "alice@node1.elsewhere");

        Assert.Equal($"env TSH_HOME={home.Path} /opt/tsh proxy ssh --cluster=example --proxy=proxy.example.com:3080 %r@%h:%p", settings["proxycommand"]);
        Assert.Equal(store.KnownHostsFile, settings["userknownhostsfile"]);
        Assert.Equal(store.PrivateKeyFile(ProfileStoreTests.Profile()), settings["identityfile"]);
        Assert.Equal(store.SshCertificateFile(ProfileStoreTests.Profile()), settings["certificatefile"]);
        Assert.Equal("3022", settings["port"]);
        Assert.Equal("alice", settings["user"]);
        Assert.False(other.ContainsKey("proxycommand"));
    }

    [Fact]
    public void Paths_with_spaces_are_quoted()
    {
        Assert.Equal("\"/home/a b/tsh\"", SshConfigBlock.Quote("/home/a b/tsh"));
        Assert.Equal("/usr/bin/tsh", SshConfigBlock.Quote("/usr/bin/tsh"));
    }

    /// <summary>What ssh(1) would use for <paramref name="destination"/> with this config (ssh -G prints it and exits).</summary>
    private static async Task<Dictionary<string, string>> SshG(string config, string destination)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-G", "-F", config, destination })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                settings.TryAdd(line[..space], line[(space + 1)..]);
            }
        }

        return settings;
    }
}
