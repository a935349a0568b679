using System.Security.Cryptography;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.EndToEnd;

/// <summary>
/// tsh end to end against a stand-in proxy that speaks Teleport's web API and SSH proxy shapes, with a real
/// OpenSSH sshd as the node: login, ls, ssh (exec, PTY), scp, OpenSSH through tsh config, recordings.
/// </summary>
public sealed class StandInProxyTests(StandInProxyFixture fixture) : IClassFixture<StandInProxyFixture>
{
    private static string Login => Environment.UserName;

    [Fact]
    public async Task Login_reads_password_and_otp_from_piped_stdin_and_stores_the_profile()
    {
        using var home = new TempDirectory();

        var result = await new TshRun(home.Path).RunWithInputAsync(
            $"{StandInProxy.Password}\n{StandInProxy.Otp}\n", "login", $"--proxy={fixture.ProxyAddress}", "--user=bob", "--insecure", "--ttl=90");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Logged in as:       bob", result.Output);
        Assert.Contains($"Cluster:            {StandInProxy.Cluster}", result.Output);
        Assert.Equal(90 * 60, fixture.Proxy.LastTtl);
        var store = new ProfileStore(home.Path);
        var login = store.RequireLogin();
        Assert.Equal($"127.0.0.1:{fixture.Proxy.SshPort}", login.Profile.SshProxyAddr);
        Assert.Equal([fixture.Proxy.HostCa.PublicKey], store.HostCaKeys(login.Profile));
        Assert.True(login.Certificate.ValidBefore - DateTimeOffset.UtcNow <= TimeSpan.FromMinutes(90));
    }

    [Fact]
    public async Task A_wrong_otp_is_refused_with_the_proxys_message_and_stores_nothing()
    {
        using var home = new TempDirectory();

        var result = await new TshRun(home.Path).RunWithInputAsync(
            $"{StandInProxy.Password}\n000000\n", "login", $"--proxy={fixture.ProxyAddress}", "--user=bob", "--insecure");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ERROR: invalid credentials", result.Error);
        Assert.Null(new ProfileStore(home.Path).Current());
    }

    [Fact]
    public async Task Status_and_logout_report_and_remove_the_login()
    {
        using var home = new TempDirectory();
        var tsh = new TshRun(home.Path);
        await tsh.RunWithInputAsync($"{StandInProxy.Password}\n{StandInProxy.Otp}\n", "login", $"--proxy={fixture.ProxyAddress}", "--user=carol", "--insecure");

        var status = await tsh.RunAsync("status");
        var logout = await tsh.RunAsync("logout");
        var after = await tsh.RunAsync("status");

        Assert.Contains("Logged in as:       carol", status.Output);
        Assert.Contains($"Logins:             {Login}", status.Output);
        Assert.Contains("Logged out carol from 127.0.0.1.", logout.Output);
        Assert.Equal(1, after.ExitCode);
        Assert.Contains("Not logged in", after.Error);
    }

    [Fact]
    public async Task Ls_lists_every_page_of_nodes_and_filters_by_label()
    {
        var all = await fixture.Tsh.RunAsync("ls");
        var filtered = await fixture.Tsh.RunAsync("ls", "env=prod");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Contains("localhost", all.Output);
        Assert.Contains("env=test", all.Output);
        Assert.Contains("db", all.Output);
        Assert.Contains("db", filtered.Output);
        Assert.DoesNotContain("localhost", filtered.Output);
    }

    [Fact]
    public async Task Ssh_runs_a_command_on_the_node_and_exits_with_its_status()
    {
        var result = await fixture.Tsh.RunAsync("ssh", $"{Login}@localhost", "echo", "from-node;", "echo", "err", ">&2;", "exit", "7");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("from-node\n", result.Output);
        Assert.Contains("err", result.Error);
        Assert.Contains($"proxy:localhost:0@{StandInProxy.Cluster}", fixture.Proxy.Subsystems);
    }

    [Fact]
    public async Task Ssh_sends_stdin_to_the_remote_command()
    {
        var result = await fixture.Tsh.RunWithInputAsync("line one\nline two\n", "ssh", $"{Login}@localhost", "wc", "-l");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2", result.Output.Trim());
    }

    [Fact]
    public async Task Ssh_with_t_gives_the_command_a_terminal()
    {
        // script(1) gives tsh a terminal of its own, as a person's shell would.
        var command = $"{ExternalProcess.TshCommand} ssh -t {Login}@localhost tty";

        var result = await ExternalProcess.RunAsync("script", ["-qec", command, "/dev/null"], fixture.Home.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/dev/pts/", result.Output);
    }

    [Fact]
    public async Task A_node_whose_host_certificate_is_not_from_the_known_host_ca_is_refused()
    {
        using var home = new TempDirectory();
        var tsh = new TshRun(home.Path);
        await tsh.RunWithInputAsync($"{StandInProxy.Password}\n{StandInProxy.Otp}\n", "login", $"--proxy={fixture.ProxyAddress}", "--user=dave", "--insecure");
        var store = new ProfileStore(home.Path);
        File.WriteAllText(store.KnownHostsFile, KnownHostsFile.Merge("", StandInProxy.Cluster, "127.0.0.1", [SshPrivateKey.Generate(SshKeyType.Ed25519).PublicKey]));

        var result = await tsh.RunAsync("ssh", $"{Login}@localhost", "true");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Node 'localhost' is not trusted", result.Error);
    }

    [Fact]
    public async Task Scp_copies_to_and_from_the_node_byte_exact()
    {
        using var files = new TempDirectory();
        var content = RandomNumberGenerator.GetBytes(3_000_000);
        File.WriteAllBytes(files.File("up.bin"), content);
        var remote = files.File("remote.bin");

        var up = await fixture.Tsh.RunAsync("scp", files.File("up.bin"), $"{Login}@localhost:{remote}");
        var down = await fixture.Tsh.RunAsync("scp", $"{Login}@localhost:{remote}", files.File("down.bin"));

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal(content, File.ReadAllBytes(remote));
        Assert.Equal(content, File.ReadAllBytes(files.File("down.bin")));
    }

    [Fact]
    public async Task OpenSsh_reaches_the_node_through_the_printed_config()
    {
        var config = await ExternalProcess.RunAsync("sh", ["-c", $"{ExternalProcess.TshCommand} config"], fixture.Home.Path);
        using var files = new TempDirectory();
        var configFile = files.Write("ssh_config", config.Output);

        var result = await ExternalProcess.RunAsync(
            "ssh", ["-F", configFile, "-o", "BatchMode=yes", $"{Login}@localhost.{StandInProxy.Cluster}", "echo", "through-openssh"], fixture.Home.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("through-openssh\n", result.Output);
    }

    [Fact]
    public async Task Recordings_are_listed_and_play_shows_what_was_typed()
    {
        var list = await fixture.Tsh.RunAsync("recordings", "ls");
        var play = await fixture.Tsh.RunAsync("play", StandInProxy.SessionId, "--speed", "4");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(StandInProxy.SessionId, list.Output);
        Assert.Contains("alice", list.Output);
        Assert.True(play.ExitCode == 0, play.ToString());
        Assert.Contains("echo typed-by-alice", play.Output);
    }

    [Fact]
    public async Task Recordings_ls_lists_only_recorded_sessions_newest_first_with_their_duration()
    {
        var list = await fixture.Tsh.RunAsync("recordings", "ls");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain(StandInProxy.UnrecordedSessionId, list.Output);
        var lines = list.Output.Split('\n');
        var newer = Array.FindIndex(lines, l => l.Contains(StandInProxy.SessionId, StringComparison.Ordinal));
        var older = Array.FindIndex(lines, l => l.Contains(StandInProxy.OlderSessionId, StringComparison.Ordinal));
        Assert.True(newer >= 0 && older > newer, list.Output);
        Assert.Contains("1m00s", lines[newer]);
        Assert.Contains("1h57m", lines[older]);
        Assert.Contains("alice, bob", lines[older]);
    }

    [Fact]
    public async Task Playing_a_session_that_was_never_recorded_says_so_in_a_sentence()
    {
        var play = await fixture.Tsh.RunAsync("play", StandInProxy.UnrecordedSessionId);

        Assert.NotEqual(0, play.ExitCode);
        Assert.Contains($"There is no recording of session {StandInProxy.UnrecordedSessionId}: only sessions with a terminal are recorded", play.Error);
        Assert.DoesNotContain("Exception", play.Error);
    }
}
