using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Gcs.Recordings;
using Teleport.Orleans.TestServers.Gcs;

namespace Teleport.Orleans.Backends.Tests.Gcs;

/// <summary>What the store sends GCS, as <see cref="FakeGcsJsonApiServer"/> (a fake of the JSON API) records it.</summary>
public sealed class GcsProtocolTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeGcsJsonApiServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_first_start_creates_the_bucket_and_a_second_start_keeps_its_recordings()
    {
        var location = GcsRecordingStoreTests.Location(_server);
        using (var first = new GcsRecordingStore(location))
        {
            await first.InitializeAsync(None);
            await first.UploadAsync("kept", new MemoryStream([1, 2, 3]), None);
        }

        using var second = new GcsRecordingStore(location);
        await second.InitializeAsync(None);

        Assert.True(_server.BucketExists(location.Bucket));
        Assert.Equal(["kept"], (await second.ListAsync(None)).Select(r => r.SessionId));
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task A_different_recording_under_a_stored_id_is_refused_by_the_server_not_only_by_the_client()
    {
        using var store = new GcsRecordingStore(GcsRecordingStoreTests.Location(_server));
        await store.InitializeAsync(None);
        await store.UploadAsync("once", new MemoryStream([1, 2, 3]), None);

        await Assert.ThrowsAsync<RecordingConflictException>(() => store.UploadAsync("once", new MemoryStream([4, 5, 6]), None));

        Assert.Equal(1, _server.PreconditionFailures);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Reading_from_an_offset_asks_the_server_for_that_range_only()
    {
        using var store = new GcsRecordingStore(GcsRecordingStoreTests.Location(_server));
        await store.InitializeAsync(None);
        await store.UploadAsync("ranged", new MemoryStream(new byte[5000]), None);

        await using (var rest = await store.DownloadFromAsync("ranged", 4096, None))
        {
            Assert.Equal(904, await LengthOf(rest!));
        }

        Assert.Equal(["bytes=4096-"], _server.RangedReads);
    }

    [Fact]
    public async Task Recordings_outside_the_prefix_and_beyond_the_first_list_page_are_handled()
    {
        var bucket = FakeGcsJsonApiServer.UniqueBucket();
        using var other = new GcsRecordingStore(GcsRecordingStoreTests.Location(_server, bucket, prefix: "other"));
        using var store = new GcsRecordingStore(GcsRecordingStoreTests.Location(_server, bucket));
        await store.InitializeAsync(None);
        await other.UploadAsync("elsewhere", new MemoryStream([1]), None);
        foreach (var id in new[] { "s1", "s2", "s3", "s4", "s5" })
        {
            await store.UploadAsync(id, new MemoryStream([2]), None);
        }

        Assert.Equal(["s1", "s2", "s3", "s4", "s5"], (await store.ListAsync(None)).Select(r => r.SessionId));
    }

    [Theory]
    [InlineData("storage.buckets.get")]
    [InlineData("storage.buckets.create")]
    public async Task A_missing_permission_stops_the_start_naming_it(string permission)
    {
        _server.Deny(permission);
        using var store = new GcsRecordingStore(GcsRecordingStoreTests.Location(_server));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => store.InitializeAsync(None));

        Assert.StartsWith($"Google Cloud Storage refused {permission} on bucket 'gcs-", error.Message);
        Assert.Contains($"grant the credentials {permission}", error.Message);
    }

    [Fact]
    public async Task The_fake_server_refuses_and_reports_an_upload_that_could_replace_an_object()
    {
        var location = GcsRecordingStoreTests.Location(_server);
        using (var store = new GcsRecordingStore(location))
        {
            await store.InitializeAsync(None);
        }

        using var client = new Google.Cloud.Storage.V1.StorageClientBuilder { BaseUri = _server.Endpoint + "/storage/v1/", UnauthenticatedAccess = true }.Build();

        await Assert.ThrowsAsync<Google.GoogleApiException>(() => client.UploadObjectAsync(location.Bucket, "plain.tar", "application/x-tar", new MemoryStream([1])));

        Assert.Contains("without ifGenerationMatch=0", Assert.Single(_server.Violations));
    }

    private static async Task<long> LengthOf(Stream stream)
    {
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.Length;
    }
}
