using Teleport.Orleans.Backends.Core.Recordings;

namespace Teleport.Orleans.Backends.Tests.Conformance;

/// <summary>What every session-recording backend must do.</summary>
public abstract class RecordingStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected IRecordingStore Store { get; private set; } = null!;

    /// <summary>A store over a directory or bucket that no other test uses.</summary>
    protected abstract Task<IRecordingStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_uploaded_recording_downloads_byte_for_byte()
    {
        var data = Bytes(3 * 1024 * 1024 + 17, seed: 1);

        await Store.UploadAsync("4b6f7a58-2c1d-4e8f-9a0b-1c2d3e4f5a6b", new MemoryStream(data), None);

        Assert.Equal(data, await Download("4b6f7a58-2c1d-4e8f-9a0b-1c2d3e4f5a6b"));
    }

    [Fact]
    public async Task Downloading_a_missing_recording_returns_null()
    {
        Assert.Null(await Store.DownloadAsync("missing", None));
    }

    [Fact]
    public async Task List_names_each_recording_with_its_size_in_id_order()
    {
        await Store.UploadAsync("session-b", new MemoryStream(Bytes(10, 2)), None);
        await Store.UploadAsync("session-a", new MemoryStream(Bytes(20, 3)), None);
        await Store.UploadAsync("session-c", new MemoryStream([]), None);

        var listed = await Store.ListAsync(None);

        Assert.Equal([("session-a", 20L), ("session-b", 10L), ("session-c", 0L)], listed.Select(r => (r.SessionId, r.Size)));
        Assert.All(listed, r => Assert.True(r.Stored > DateTimeOffset.UtcNow.AddHours(-1)));
    }

    [Fact]
    public async Task Uploading_the_same_bytes_again_succeeds_and_other_bytes_are_refused()
    {
        var original = Bytes(1000, 4);
        await Store.UploadAsync("once", new MemoryStream(original), None);

        await Store.UploadAsync("once", new MemoryStream(original), None);
        var conflict = await Assert.ThrowsAsync<RecordingConflictException>(() => Store.UploadAsync("once", new MemoryStream(Bytes(1000, 5)), None));

        Assert.Equal("once", conflict.SessionId);
        Assert.Equal(original, await Download("once"));
        Assert.Single(await Store.ListAsync(None));
    }

    [Fact]
    public async Task Download_from_an_offset_returns_the_rest_and_past_the_end_nothing()
    {
        var data = Bytes(300 * 1024, 7);
        await Store.UploadAsync("ranged", new MemoryStream(data), None);

        Assert.Equal(data[100_000..], await ReadAll(await Store.DownloadFromAsync("ranged", 100_000, None)));
        Assert.Equal(data, await ReadAll(await Store.DownloadFromAsync("ranged", 0, None)));
        Assert.Empty(await ReadAll(await Store.DownloadFromAsync("ranged", data.Length + 10, None)));
        Assert.Null(await Store.DownloadFromAsync("never-stored", 10, None));
    }

    private static async Task<byte[]> ReadAll(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task Concurrent_uploads_of_one_recording_store_it_once()
    {
        var data = Bytes(256 * 1024, 6);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Store.UploadAsync("raced", new MemoryStream(data), None))));

        Assert.Equal(data, await Download("raced"));
        Assert.Single(await Store.ListAsync(None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("spaces are bad")]
    public async Task Unsafe_session_ids_are_rejected(string sessionId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync(sessionId, new MemoryStream([1]), None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DownloadAsync(sessionId, None));
    }

    private async Task<byte[]> Download(string sessionId)
    {
        await using var stream = await Store.DownloadAsync(sessionId, None);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
