using System.Security.Cryptography;
using Teleport.Orleans.Agent.Tests.Support;

namespace Teleport.Orleans.Agent.Tests.Sessions;

/// <summary>File transfer through the "sftp" subsystem (OpenSSH's sftp-server as the login), with OpenSSH's sftp and scp.</summary>
public sealed class SftpTests
{
    [Fact]
    public async Task Sftp_and_scp_carry_several_megabytes_byte_exact_both_ways()
    {
        await using var node = new NodeServer();
        var data = RandomNumberGenerator.GetBytes(6 * 1024 * 1024 + 123);
        var local = Path.Combine(node.Root, "local.bin");
        await File.WriteAllBytesAsync(local, data);
        var sftpBack = Path.Combine(node.Root, "sftp-back.bin");
        var scpBack = Path.Combine(node.Root, "scp-back.bin");
        var target = $"{NodeServer.LoginName}@127.0.0.1";

        var batch = Path.Combine(node.Root, "batch");
        await File.WriteAllTextAsync(batch, $"put {local} up-sftp.bin\nget up-sftp.bin {sftpBack}\n");
        var sftp = await ProcessRun.RunAsync("/usr/bin/sftp", [.. node.SshOptions(), "-b", batch, target]);
        var scpUp = await ProcessRun.RunAsync("/usr/bin/scp", [.. node.SshOptions(), local, target + ":up-scp.bin"]);
        var scpDown = await ProcessRun.RunAsync("/usr/bin/scp", [.. node.SshOptions(), target + ":up-scp.bin", scpBack]);

        Assert.True(sftp.ExitCode == 0, sftp.ToString());
        Assert.True(scpUp.ExitCode == 0, scpUp.ToString());
        Assert.True(scpDown.ExitCode == 0, scpDown.ToString());
        var hash = SHA256.HashData(data);
        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(node.Home, "up-sftp.bin"))));
        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(sftpBack)));
        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(scpBack)));
        Assert.Contains(("sftp", (string?)null), node.Observer.Subsystems);
    }

    [RootFact]
    public async Task Files_uploaded_over_sftp_belong_to_the_login()
    {
        await using var node = new NodeServer();
        var local = Path.Combine(node.Root, "small.txt");
        await File.WriteAllTextAsync(local, "hello");

        var scp = await ProcessRun.RunAsync("/usr/bin/scp", [.. node.SshOptions(), local, $"{NodeServer.LoginName}@127.0.0.1:owned.txt"]);
        var owner = await node.SshAsync("stat -c %U owned.txt");

        Assert.True(scp.ExitCode == 0, scp.ToString());
        Assert.Equal(NodeServer.RootTestUser, owner.Text.Trim());
    }

    [Fact]
    public async Task Unknown_subsystem_is_refused_and_reported()
    {
        await using var node = new NodeServer();

        var run = await node.SshAsync("nosuch", null, null, "-s");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(node.Observer.Subsystems, s => s.Name == "nosuch" && s.Error is not null);
    }
}
