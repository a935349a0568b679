using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Sftp;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Sftp;

/// <summary>Our SFTP client against OpenSSH's sftp-server on pipes: the protocol alone, no SSH underneath.</summary>
public sealed class SftpServerTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SftpClient.ChunkSize)]
    [InlineData((SftpClient.ChunkSize * SftpClient.RequestsInFlight) + 12345)]
    public async Task A_file_uploads_and_downloads_byte_exact(int size)
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        var content = RandomNumberGenerator.GetBytes(size);
        var remote = directory.File("uploaded.bin");

        var sent = await server.Client.UploadAsync(new MemoryStream(content), remote, permissions: 0x180);
        var received = new MemoryStream();
        var got = await server.Client.DownloadAsync(remote, received);

        Assert.Equal(size, sent);
        Assert.Equal(size, got);
        Assert.Equal(content, File.ReadAllBytes(remote));
        Assert.Equal(content, received.ToArray());
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(remote) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Fact]
    public async Task Stat_reports_size_type_and_permissions()
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        var path = directory.Write("file.txt", "hello");

        var file = await server.Client.StatAsync(path);
        var folder = await server.Client.StatAsync(directory.Path);

        Assert.Equal(5UL, file.Size);
        Assert.True(file.IsRegularFile);
        Assert.Equal(0x180u, file.Permissions & 0x1FF);
        Assert.True(folder.IsDirectory);
        Assert.Equal(File.GetLastWriteTimeUtc(path).Ticks / TimeSpan.TicksPerSecond, file.ModifyTime!.Value.UtcTicks / TimeSpan.TicksPerSecond);
    }

    [Fact]
    public async Task A_missing_file_is_an_error_naming_it()
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        var missing = directory.File("missing.txt");

        var error = await Assert.ThrowsAsync<SftpException>(() => server.Client.DownloadAsync(missing, new MemoryStream()));

        Assert.Equal(SftpStatusCode.NoSuchFile, error.Status);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task Directories_are_created_and_listed()
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        var folder = directory.File("made");

        await server.Client.MakeDirectoryAsync(folder, new SftpAttributes { Permissions = 0x1C0 });
        for (var i = 0; i < 150; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, $"f{i}"), "x");
        }

        var entries = await server.Client.ListDirectoryAsync(folder);

        Assert.True(Directory.Exists(folder));
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"f{i}").Order(), entries.Select(e => e.Name).Order());
        Assert.All(entries, e => Assert.True(e.Attributes.IsRegularFile));
    }

    [Fact]
    public async Task RealPath_resolves_dot_dot_to_an_absolute_path()
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        Directory.CreateDirectory(directory.File("a"));

        var resolved = await server.Client.RealPathAsync(directory.File("a") + "/../a");

        Assert.Equal(Path.GetFullPath(directory.File("a")), resolved);
    }

    [Fact]
    public async Task Reads_at_an_offset_return_that_part_and_end_empty()
    {
        using var directory = new TempDirectory();
        await using var server = await SftpServerProcess.StartAsync();
        var path = directory.Write("file.txt", "0123456789");

        var handle = await server.Client.OpenAsync(path, SftpOpenMode.Read);
        var middle = await server.Client.ReadAsync(handle, 3, 4);
        var end = await server.Client.ReadAsync(handle, 10, 4);
        await server.Client.CloseAsync(handle);

        Assert.Equal("3456"u8.ToArray(), middle.ToArray());
        Assert.True(end.IsEmpty);
    }

    [Fact]
    public async Task Requests_after_the_client_is_disposed_are_refused()
    {
        using var directory = new TempDirectory();
        var server = await SftpServerProcess.StartAsync();
        await server.DisposeAsync();

        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => server.Client.StatAsync(directory.Path));
    }
}
