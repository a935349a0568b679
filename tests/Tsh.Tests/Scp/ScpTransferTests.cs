using System.Security.Cryptography;
using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Scp;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.Scp;

/// <summary>tsh scp's copying against OpenSSH's sftp-server (the "remote" side is another temp directory).</summary>
public sealed class ScpTransferTests
{
    [Fact]
    public async Task A_directory_tree_uploads_and_downloads_byte_exact()
    {
        using var local = new TempDirectory();
        using var remote = new TempDirectory();
        using var back = new TempDirectory();
        var big = RandomNumberGenerator.GetBytes(5_000_000);
        Directory.CreateDirectory(local.File("tree/sub/deeper"));
        File.WriteAllBytes(local.File("tree/big.bin"), big);
        File.WriteAllText(local.File("tree/sub/deeper/note.txt"), "note");
        File.WriteAllBytes(local.File("tree/sub/empty"), []);
        await using var server = await SftpServerPipes.StartAsync();
        var transfer = new ScpTransfer(server.Client, null) { Recursive = true };

        await transfer.UploadAsync(local.File("tree"), remote.Path, CancellationToken.None);
        await transfer.DownloadAsync(remote.File("tree"), back.Path, CancellationToken.None);

        Assert.Equal(big, File.ReadAllBytes(remote.File("tree/big.bin")));
        Assert.Equal(big, File.ReadAllBytes(back.File("tree/big.bin")));
        Assert.Equal("note", File.ReadAllText(back.File("tree/sub/deeper/note.txt")));
        Assert.Empty(File.ReadAllBytes(back.File("tree/sub/empty")));
    }

    [Fact]
    public async Task A_file_copied_onto_a_directory_keeps_its_name()
    {
        using var local = new TempDirectory();
        using var remote = new TempDirectory();
        local.Write("a.txt", "content");
        await using var server = await SftpServerPipes.StartAsync();

        await new ScpTransfer(server.Client, null).UploadAsync(local.File("a.txt"), remote.Path, CancellationToken.None);

        Assert.Equal("content", File.ReadAllText(remote.File("a.txt")));
    }

    [Fact]
    public async Task A_directory_without_recursive_is_refused()
    {
        using var local = new TempDirectory();
        using var remote = new TempDirectory();
        await using var server = await SftpServerPipes.StartAsync();

        var error = await Assert.ThrowsAsync<TshException>(() => new ScpTransfer(server.Client, null).UploadAsync(local.Path, remote.Path, CancellationToken.None));

        Assert.Contains("use -r", error.Message);
    }

    [Fact]
    public async Task A_failed_download_leaves_no_partial_file()
    {
        using var local = new TempDirectory();
        using var remote = new TempDirectory();
        await using var server = await SftpServerPipes.StartAsync();

        await Assert.ThrowsAnyAsync<IOException>(() => new ScpTransfer(server.Client, null).DownloadAsync(remote.File("missing"), local.File("out"), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(local.Path));
    }
}
