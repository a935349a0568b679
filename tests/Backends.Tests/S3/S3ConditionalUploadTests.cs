using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.S3;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

/// <summary>
/// Uploads that cannot replace a stored recording: the PutObject carries <c>If-None-Match: *</c>, and a store that
/// does not implement it gets plain uploads behind the check made before uploading. s3rver 3.7.1 ignores the header
/// on uploads (it overwrites), so <see cref="ConditionalPutGate"/> stands in front of it to answer as S3 does.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ConditionalUploadTests(S3rverServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Two_different_recordings_of_one_session_uploaded_at_once_store_the_first_and_refuse_the_second()
    {
        // The gate holds the first upload until the second arrives, so both passed the check before uploading.
        await using var gate = new ConditionalPutGate(server, ConditionalPutGate.Mode.Enforce, holdFirstUpload: true);
        var location = Through(gate);
        using var first = new S3RecordingStore(location);
        using var second = new S3RecordingStore(location);
        await first.InitializeAsync(None);
        var a = Bytes(1);
        var b = Bytes(2);

        var uploads = new[] { first.UploadAsync("race", new MemoryStream(a), None), second.UploadAsync("race", new MemoryStream(b), None) };
        var outcome = await Task.WhenAll(uploads.Select(async u =>
        {
            try
            {
                await u;
                return true;
            }
            catch (RecordingConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcome.Count(ok => ok));
        Assert.Equal(1, gate.Refused);
        Assert.Equal(outcome[0] ? a : b, await ReadAsync(first, "race"));
    }

    [Fact]
    public async Task A_second_upload_of_a_stored_recording_is_refused_and_the_first_stays_intact()
    {
        await using var gate = new ConditionalPutGate(server, ConditionalPutGate.Mode.Enforce);
        using var store = new S3RecordingStore(Through(gate));
        await store.InitializeAsync(None);
        var kept = Bytes(3);

        await store.UploadAsync("once", new MemoryStream(kept), None);
        await store.UploadAsync("once", new MemoryStream(kept), None);
        await Assert.ThrowsAsync<RecordingConflictException>(() => store.UploadAsync("once", new MemoryStream(Bytes(4)), None));

        Assert.Equal(kept, await ReadAsync(store, "once"));
        Assert.Equal(1, gate.ConditionalPuts);
    }

    [Fact]
    public async Task A_store_without_conditional_uploads_gets_plain_ones_and_still_refuses_a_different_recording()
    {
        await using var gate = new ConditionalPutGate(server, ConditionalPutGate.Mode.NotImplemented);
        using var store = new S3RecordingStore(Through(gate));
        await store.InitializeAsync(None);
        var kept = Bytes(5);

        await store.UploadAsync("plain", new MemoryStream(kept), None);
        await store.UploadAsync("other", new MemoryStream(Bytes(6)), None);
        await Assert.ThrowsAsync<RecordingConflictException>(() => store.UploadAsync("plain", new MemoryStream(Bytes(7)), None));

        Assert.Equal(kept, await ReadAsync(store, "plain"));
        Assert.Equal(1, gate.ConditionalPuts);
    }

    private S3Location Through(ConditionalPutGate gate) => S3rver.Location(server) with { Endpoint = gate.Endpoint };

    private static byte[] Bytes(int seed)
    {
        var data = new byte[64 * 1024 + seed];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> ReadAsync(S3RecordingStore store, string sessionId)
    {
        await using var stream = await store.DownloadAsync(sessionId, None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return copy.ToArray();
    }
}
