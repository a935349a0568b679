using Teleport.Orleans.Ssh.Sftp;

namespace Teleport.Orleans.Cli.Tsh.Scp;

/// <summary>
/// Copies files between this machine and a node over SFTP (what OpenSSH's scp does since version 9): single files,
/// and with <see cref="Recursive"/> whole directories. A destination that is an existing directory receives the
/// source under its own name.
/// </summary>
internal sealed class ScpTransfer(SftpClient sftp, TextWriter? progress)
{
    private const uint DirectoryModeBits = 0x4000;

    public bool Recursive { get; init; }

    public bool PreserveTimes { get; init; }

    public async Task UploadAsync(string localPath, string remotePath, CancellationToken cancellationToken)
    {
        var isDirectory = Directory.Exists(localPath);
        if (!isDirectory && !File.Exists(localPath))
        {
            throw new TshException($"{localPath}: no such file or directory.");
        }

        if (isDirectory && !Recursive)
        {
            throw new TshException($"{localPath} is a directory: use -r to copy directories.");
        }

        var target = await RemoteIsDirectoryAsync(remotePath, cancellationToken)
            ? CombineRemote(remotePath, Path.GetFileName(Path.TrimEndingDirectorySeparator(localPath)))
            : remotePath;
        await UploadEntryAsync(localPath, target, isDirectory, cancellationToken);
    }

    public async Task DownloadAsync(string remotePath, string localPath, CancellationToken cancellationToken)
    {
        var attributes = await sftp.StatAsync(remotePath, cancellationToken);
        if (attributes.IsDirectory && !Recursive)
        {
            throw new TshException($"{remotePath} is a directory: use -r to copy directories.");
        }

        var target = Directory.Exists(localPath) ? Path.Combine(localPath, RemoteName(remotePath)) : localPath;
        await DownloadEntryAsync(remotePath, target, attributes, cancellationToken);
    }

    private async Task UploadEntryAsync(string localPath, string remotePath, bool isDirectory, CancellationToken cancellationToken)
    {
        var mode = OperatingSystem.IsWindows() ? (isDirectory ? 0x1EDu : 0x1A4u) : (uint)File.GetUnixFileMode(localPath);
        if (isDirectory)
        {
            if (!await RemoteIsDirectoryAsync(remotePath, cancellationToken))
            {
                await sftp.MakeDirectoryAsync(remotePath, new SftpAttributes { Permissions = mode }, cancellationToken);
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries(localPath).Order(StringComparer.Ordinal))
            {
                await UploadEntryAsync(entry, CombineRemote(remotePath, Path.GetFileName(entry)), Directory.Exists(entry), cancellationToken);
            }
        }
        else
        {
            await using var source = File.OpenRead(localPath);
            var bytes = await sftp.UploadAsync(source, remotePath, mode, cancellationToken);
            progress?.WriteLine($"{localPath} -> {remotePath} ({bytes} bytes)");
        }

        if (PreserveTimes)
        {
            var modified = File.GetLastWriteTimeUtc(localPath);
            await sftp.SetStatAsync(
                remotePath, new SftpAttributes { AccessTime = File.GetLastAccessTimeUtc(localPath), ModifyTime = modified }, cancellationToken);
        }
    }

    private async Task DownloadEntryAsync(string remotePath, string localPath, SftpAttributes attributes, CancellationToken cancellationToken)
    {
        if (attributes.IsDirectory)
        {
            Directory.CreateDirectory(localPath);
            foreach (var entry in (await sftp.ListDirectoryAsync(remotePath, cancellationToken)).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                await DownloadEntryAsync(CombineRemote(remotePath, entry.Name), Path.Combine(localPath, entry.Name), entry.Attributes, cancellationToken);
            }
        }
        else
        {
            // Written beside the target and moved into place, so a failed copy never leaves a truncated file behind.
            var partial = localPath + ".tsh-partial";
            try
            {
                long bytes;
                await using (var destination = File.Create(partial))
                {
                    bytes = await sftp.DownloadAsync(remotePath, destination, cancellationToken);
                }

                if (!OperatingSystem.IsWindows() && attributes.Permissions is { } permissions)
                {
                    File.SetUnixFileMode(partial, (UnixFileMode)(permissions & 0xFFF));
                }

                File.Move(partial, localPath, overwrite: true);
                progress?.WriteLine($"{remotePath} -> {localPath} ({bytes} bytes)");
            }
            catch
            {
                File.Delete(partial);
                throw;
            }
        }

        if (PreserveTimes && attributes.ModifyTime is { } modified)
        {
            if (attributes.IsDirectory)
            {
                Directory.SetLastWriteTimeUtc(localPath, modified.UtcDateTime);
            }
            else
            {
                File.SetLastWriteTimeUtc(localPath, modified.UtcDateTime);
            }
        }
    }

    private async Task<bool> RemoteIsDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return ((await sftp.StatAsync(path, cancellationToken)).Permissions & 0xF000) == DirectoryModeBits;
        }
        catch (SftpException ex) when (ex.Status == SftpStatusCode.NoSuchFile)
        {
            return false;
        }
    }

    private static string CombineRemote(string directory, string name) => directory.EndsWith('/') ? directory + name : $"{directory}/{name}";

    private static string RemoteName(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }
}
