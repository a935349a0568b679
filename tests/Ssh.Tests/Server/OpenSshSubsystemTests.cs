using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>OpenSSH's scp and sftp through the "sftp" subsystem (served by OpenSSH's sftp-server), and exit-signal as ssh sees it.</summary>
public sealed class OpenSshSubsystemTests
{
    [Fact]
    public async Task Scp_uploads_and_downloads_several_megabytes_byte_exact_through_the_sftp_subsystem()
    {
        await using var server = TestSshServer.StartInteractive();
        var config = server.WriteClientConfig();
        var data = TestSessionHandler.Pattern(5 * 1024 * 1024 + 123);
        var local = server.Directory.File("local.bin");
        var remote = server.Directory.File("remote.bin");
        var back = server.Directory.File("back.bin");
        await File.WriteAllBytesAsync(local, data);

        var upload = await Task.Run(() => ProcessRun.Run("/usr/bin/scp", ["-F", config, local, "127.0.0.1:" + remote]));
        var download = await Task.Run(() => ProcessRun.Run("/usr/bin/scp", ["-F", config, "127.0.0.1:" + remote, back]));

        Assert.True(upload.ExitCode == 0, upload.Error + "\n" + server.Logs.Text);
        Assert.True(download.ExitCode == 0, download.Error + "\n" + server.Logs.Text);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(remote)));
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(back)));
        Assert.All(server.Sessions, s => Assert.Equal("sftp", s.Subsystem));
    }

    [Fact]
    public async Task Sftp_batch_makes_a_directory_puts_lists_renames_gets_and_removes()
    {
        await using var server = TestSshServer.StartInteractive();
        var config = server.WriteClientConfig();
        var data = TestSessionHandler.Pattern(3 * 1024 * 1024);
        var local = server.Directory.File("local.bin");
        await File.WriteAllBytesAsync(local, data);
        var root = server.Directory.File("root");
        var batch = server.Directory.Write("batch", $"""
            mkdir {root}
            cd {root}
            put {local} first.bin
            rename first.bin second.bin
            ls -l
            get second.bin {server.Directory.File("got.bin")}
            rm second.bin
            ls

            """);

        var run = await Task.Run(() => ProcessRun.Run("/usr/bin/sftp", ["-F", config, "-b", batch, "127.0.0.1"]));

        Assert.True(run.ExitCode == 0, run.Text + run.Error + "\n" + server.Logs.Text);
        Assert.Matches(@"(?m)^-rw.* 3145728 .*second\.bin$", run.Text);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(server.Directory.File("got.bin"))));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public async Task Unknown_subsystem_is_refused_and_ssh_says_so()
    {
        await using var server = TestSshServer.StartInteractive();

        var run = await server.SshAsync("netconf", null, "-s");

        Assert.Equal(255, run.ExitCode);
        Assert.Contains("subsystem request failed", run.Error);
    }

    [Fact]
    public async Task Program_ended_by_a_signal_reaches_ssh_as_exit_signal_without_an_exit_status()
    {
        await using var server = TestSshServer.StartInteractive();

        var run = await server.SshAsync("kill TERM", null, "-v");

        // OpenSSH 9.2 logs exit-signal and, having no exit status, exits with 255.
        Assert.Equal(255, run.ExitCode);
        Assert.Contains("client_input_channel_req: channel 0 rtype exit-signal reply 0", run.Error);
        Assert.DoesNotContain("rtype exit-status", run.Error);
    }
}
