using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Files;

public sealed class FileRecordingStoreTests : RecordingStoreConformance
{
    private readonly TempDirectory _dir = new();

    private string RecordsDir => Path.Combine(_dir.Path, "log", "records");

    protected override Task<IRecordingStore> CreateStoreAsync() => Task.FromResult<IRecordingStore>(new FileRecordingStore(RecordsDir));

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Initialize_creates_the_directory_and_drops_interrupted_uploads()
    {
        File.WriteAllBytes(Path.Combine(RecordsDir, ".upload-leftover"), [1, 2, 3]);

        await Store.InitializeAsync(CancellationToken.None);

        Assert.Empty(Directory.EnumerateFileSystemEntries(RecordsDir));
    }

    [Fact]
    public async Task A_failed_upload_leaves_no_file_behind()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.UploadAsync("broken", new FailingStream(), CancellationToken.None));

        Assert.Empty(Directory.EnumerateFileSystemEntries(RecordsDir));
        Assert.Null(await Store.DownloadAsync("broken", CancellationToken.None));
    }

    /// <summary>Yields some bytes, then fails as a dropped upload connection would.</summary>
    private sealed class FailingStream : MemoryStream
    {
        private int _reads;

        public FailingStream()
            : base(new byte[100_000])
        {
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ++_reads > 1 ? throw new IOException("connection reset") : base.ReadAsync(buffer, cancellationToken);
    }
}
