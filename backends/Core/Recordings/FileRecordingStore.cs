using System.Security.Cryptography;

namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>
/// Recordings as files in one directory (by default <c>DATA_DIR/log/records</c>): the single-host default and the
/// <c>file://</c> form of <c>audit_sessions_uri</c>. A file appears whole or not at all: it is written to a temporary
/// name, flushed to disk and then renamed.
/// </summary>
public sealed class FileRecordingStore : IRecordingStore
{
    private const string Extension = ".rec";
    private const string TempPrefix = ".upload-";

    public FileRecordingStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // Uploads that a crash interrupted are never renamed into place; drop them.
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, TempPrefix + "*"))
        {
            File.Delete(stale);
        }

        return Task.CompletedTask;
    }

    public async Task UploadAsync(string sessionId, Stream recording, CancellationToken cancellationToken)
    {
        var path = PathOf(sessionId);
        var temp = Path.Combine(Directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] hash;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await recording.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                hash = sha.GetHashAndReset();
                file.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                await ThrowUnlessSameAsync(sessionId, path, hash, cancellationToken);
                return;
            }

            try
            {
                // No overwrite: of two racing uploads one wins, the other is compared with it.
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                await ThrowUnlessSameAsync(sessionId, path, hash, cancellationToken);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream?> DownloadAsync(string sessionId, CancellationToken cancellationToken)
    {
        var path = PathOf(sessionId);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RecordingInfo> recordings = [.. new DirectoryInfo(Directory).EnumerateFiles("*" + Extension)
            .Where(file => !file.Name.StartsWith('.'))
            .Select(file => new RecordingInfo(Path.GetFileNameWithoutExtension(file.Name), file.Length, file.LastWriteTimeUtc))
            .OrderBy(recording => recording.SessionId, StringComparer.Ordinal)];
        return Task.FromResult(recordings);
    }

    private string PathOf(string sessionId) => Path.Combine(Directory, RecordingIds.Validate(sessionId) + Extension);

    private static async Task ThrowUnlessSameAsync(string sessionId, string path, byte[] hash, CancellationToken cancellationToken)
    {
        await using var stored = File.OpenRead(path);
        var storedHash = await SHA256.HashDataAsync(stored, cancellationToken);
        if (!CryptographicOperations.FixedTimeEquals(hash, storedHash))
        {
            throw new RecordingConflictException(sessionId);
        }
    }
}
