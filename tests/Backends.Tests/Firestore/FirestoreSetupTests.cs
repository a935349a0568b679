using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Audit;
using Teleport.Orleans.Backends.Firestore.Client;
using Teleport.Orleans.Backends.Firestore.Purge;
using Teleport.Orleans.Backends.Firestore.Storage;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

[Collection(FirestoreCollection.Name)]
public sealed class FirestoreSetupTests(FirestoreEmulator emulator)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_unreachable_emulator_stops_the_start_with_one_sentence_naming_its_address()
    {
        var endpoint = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        var retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };
        using var database = new FirestoreDatabase(Emulator.Options(endpoint), NullLogger.Instance, retry);

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => new FirestoreClusterStateStore(database).InitializeAsync(None));

        Assert.StartsWith($"the Firestore emulator at {endpoint} is unreachable", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Theory]
    [InlineData("a/b", "collection_name")]
    [InlineData("__reserved__", "collection_name")]
    [InlineData("..", "collection_name")]
    public void A_bad_collection_name_is_refused_naming_the_key(string collection, string key)
    {
        var error = Assert.Throws<ArgumentException>(() => new FirestoreDatabase(Emulator.Options(emulator.Endpoint, collection)));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void A_bad_project_or_endpoint_is_refused_naming_the_key()
    {
        Assert.Contains("project_id", Assert.Throws<ArgumentException>(() => new FirestoreDatabase(Emulator.Options(emulator.Endpoint) with { ProjectId = "my project" })).Message);
        Assert.Contains("endpoint", Assert.Throws<ArgumentException>(() => new FirestoreDatabase(Emulator.Options("localhost:8080/path"))).Message);
    }

    [Fact]
    public async Task Records_are_documents_in_teleports_shape_named_by_the_url_safe_base64_of_the_key()
    {
        using var database = Emulator.Database(emulator);
        var store = new FirestoreClusterStateStore(database);
        var etag = await store.WriteAsync("user", "alice?/>", Encoding.UTF8.GetBytes("state"), null, None);

        var document = await database.Client.GetAsync(database.DocumentName("/state/user/alice?/>"), None);

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("/state/user/alice?/>")).TrimEnd('=').Replace('+', '-').Replace('/', '_'), document!.Id);
        Assert.Equal("/state/user/alice?/>", Encoding.UTF8.GetString(document.Bytes("key")));
        Assert.Equal("state", Encoding.UTF8.GetString(document.Bytes("value")));
        Assert.Equal(etag, document.String("revision"));
        Assert.Equal(0, document.Integer("expires"));
        Assert.True(document.Integer("timestamp") > DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_record_that_shrinks_leaves_no_chunk_documents_behind_and_clearing_removes_the_rest()
    {
        using var database = Emulator.Database(emulator);
        var store = new FirestoreClusterStateStore(database);
        var big = new byte[(3 * FirestoreChunks.ChunkSize) + 10];
        new Random(3).NextBytes(big);
        var first = await store.WriteAsync("index", "big", big, null, None);
        Assert.Equal(5, await CountDocumentsAsync(database)); // the record and four chunks

        var second = await store.WriteAsync("index", "big", big.AsMemory(0, FirestoreChunks.ChunkSize + 1), first, None);
        Assert.Equal(3, await CountDocumentsAsync(database));
        Assert.Equal(big.AsSpan(0, FirestoreChunks.ChunkSize + 1).ToArray(), (await store.ReadAsync("index", "big", None))!.Data);

        await store.ClearAsync("index", "big", second, None);
        Assert.Equal(0, await CountDocumentsAsync(database));
    }

    [Fact]
    public async Task The_purge_deletes_audit_events_past_their_retention_and_keeps_the_rest()
    {
        using var database = Emulator.Database(emulator, retention: TimeSpan.FromDays(30));
        var store = new FirestoreAuditEventStore(database);
        var now = DateTimeOffset.UtcNow;
        await store.AppendAsync([Event("old", now.AddDays(-31)), Event("recent", now.AddDays(-29))], None);
        using var purge = new ExpiredDocumentPurge(database, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), NullLogger.Instance);

        Assert.Equal(1, await purge.PurgeOnceAsync(now, None));

        var left = await store.SearchAsync(new AuditQuery { From = now.AddDays(-40), To = now }, None);
        Assert.Equal(["recent"], left.Select(e => e.Id));
    }

    [Fact]
    public async Task The_purge_runs_every_poll_interval_unless_disabled()
    {
        var options = Emulator.Options(emulator.Endpoint) with { EventRetention = TimeSpan.FromSeconds(1), PurgeInterval = TimeSpan.FromMilliseconds(200), DisableExpiredDocumentPurge = false };
        using var database = new FirestoreDatabase(options);
        using var disabled = new FirestoreDatabase(options with { DisableExpiredDocumentPurge = true, CollectionName = FirestoreEmulator.UniqueCollection() });
        var store = new FirestoreAuditEventStore(database);
        var kept = new FirestoreAuditEventStore(disabled);
        await store.InitializeAsync(None);
        await kept.InitializeAsync(None);
        var old = Event("expired", DateTimeOffset.UtcNow.AddMinutes(-1));

        await store.AppendAsync([old], None);
        await kept.AppendAsync([old], None);

        await Eventually.Until(async () => await CountDocumentsAsync(database) == 0, TimeSpan.FromSeconds(30), "the purge deleted the expired event");
        Assert.Equal(1, await CountDocumentsAsync(disabled));
    }

    [Fact]
    public void Unavailable_contention_and_lost_connections_are_transient_and_refusals_are_not()
    {
        Assert.True(FirestoreDatabase.IsTransient(new FirestoreException(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "down")));
        Assert.True(FirestoreDatabase.IsTransient(new FirestoreException(HttpStatusCode.Conflict, "ABORTED", "contention")));
        Assert.True(FirestoreDatabase.IsTransient(new HttpRequestException("refused")));
        Assert.False(FirestoreDatabase.IsTransient(new FirestoreException(HttpStatusCode.Conflict, "ALREADY_EXISTS", "exists")));
        Assert.False(FirestoreDatabase.IsTransient(new FirestoreException(HttpStatusCode.Forbidden, "PERMISSION_DENIED", "no")));
    }

    private static AuditEvent Event(string id, DateTimeOffset time) => new()
    {
        Id = id,
        Type = "user.login",
        Code = "T1000I",
        Time = DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds()),
        Json = "{}",
    };

    private static async Task<int> CountDocumentsAsync(FirestoreDatabase database) =>
        (await database.Client.RunQueryAsync(new JsonObject { ["from"] = new JsonArray(new JsonObject { ["collectionId"] = database.Collection }) }, None)).Count;
}
