using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Sftp;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Sftp;

/// <summary>Our SFTP client over our SSH client against OpenSSH sshd's sftp subsystem.</summary>
public sealed class OpenSshSftpTests(OpenSshServerFixture fixture) : IClassFixture<OpenSshServerFixture>
{
    private OpenSshServer Sshd => fixture.Server;

    [Fact]
    public async Task A_file_round_trips_through_sshd_byte_exact()
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        Sshd.Authorize(key.PublicKey);
        var options = ClientOptions.For(OpenSshServer.UserName, key, SshHostKeyVerifiers.CertificateAuthority([Sshd.HostCa.PublicKey]));
        using var directory = new TempDirectory();
        var content = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 7);
        var remote = directory.File("over-ssh.bin");

        await using var ssh = await SshClient.ConnectAsync("127.0.0.1", Sshd.Port, options);
        await using var sftp = await SftpClient.ConnectAsync(ssh);
        await sftp.UploadAsync(new MemoryStream(content), remote);
        var back = new MemoryStream();
        await sftp.DownloadAsync(remote, back);

        Assert.Equal(3u, sftp.ServerVersion);
        Assert.Equal(content, File.ReadAllBytes(remote));
        Assert.Equal(content, back.ToArray());
    }
}
