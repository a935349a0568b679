using System.Security.Cryptography;

namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>
/// A recording copied to a temporary file (deleted on dispose) before it is uploaded to an object store, so that its
/// SHA-256 is known before the first byte is sent and a retried upload can send it again from the start. The hash goes
/// into the object's metadata: an upload of a stored id compares it to tell the same bytes from other bytes.
/// </summary>
public sealed class SpooledRecording : IAsyncDisposable
{
    private readonly FileStream _file;

    private SpooledRecording(FileStream file, string sha256)
    {
        _file = file;
        Sha256 = sha256;
    }

    /// <summary>The SHA-256 of the recording, lower-case hex.</summary>
    public string Sha256 { get; }

    public long Length => _file.Length;

    public static async Task<SpooledRecording> CreateAsync(Stream recording, CancellationToken cancellationToken)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await recording.CopyToAsync(file, cancellationToken);
            file.Position = 0;
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            return new SpooledRecording(file, hash);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The bytes from the start, for one upload attempt; the caller must not close it.</summary>
    public Stream Rewind()
    {
        _file.Position = 0;
        return _file;
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
