using System.Text.Json.Nodes;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Firestore.Client;

namespace Teleport.Orleans.Backends.Firestore.Storage;

/// <summary>
/// Cluster state in Firestore: one document per record, key <c>/state/STATE/GRAIN</c>, in Teleport's shape. The ETag
/// is the document's <c>revision</c> (a fresh id per write), not its update time, so ETags survive an export and
/// import. A write reads the document, checks the revision and commits with the update time it read as precondition:
/// a writer that came between fails the commit. The document also keeps the revision it replaced
/// (<c>previous</c>), which tells a caller retrying after a lost reply that the stored write is its own. The update
/// time and chunk count of the revisions this store last read or wrote are remembered, so that a grain writing over
/// its own last write commits at once, without reading first; a stale memory only costs the read.
/// </summary>
public sealed class FirestoreClusterStateStore : IClusterStateStore
{
    private const int MaxReadAttempts = 10;
    private const int MaxRemembered = 100_000;

    private readonly FirestoreDatabase _database;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Version> _versions = new(StringComparer.Ordinal);

    public FirestoreClusterStateStore(FirestoreDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    public async Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        var key = Key(stateName, grainId);
        var stored = await ReadFullAsync(key, cancellationToken);
        if (stored is not { } s)
        {
            _versions.TryRemove(key, out _);
            return null;
        }

        Remember(key, s.Document);
        return new StoredRecord(s.Data, s.Document.String("revision"));
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        if (data.Length > FirestoreChunks.MaxRecordSize)
        {
            throw new ArgumentException($"{stateName} of {grainId} is {data.Length} bytes; the Firestore backend stores at most {FirestoreChunks.MaxRecordSize} bytes per record");
        }

        var key = Key(stateName, grainId);
        if (expectedETag is null)
        {
            return await CommitAsync(key, data, null, FirestoreValues.Missing(), 0, cancellationToken)
                ?? await RepeatedOrConflictAsync(key, data, null, stateName, grainId, cancellationToken);
        }

        // Over this store's own last write or read: commit at once; if the memory was stale, read and try again.
        if (_versions.TryGetValue(key, out var known) && known.Revision == expectedETag
            && await CommitAsync(key, data, expectedETag, FirestoreValues.UpdatedAt(known.UpdateTime), known.Chunks, cancellationToken) is { } fast)
        {
            return fast;
        }

        var current = await GetAsync(_database.DocumentName(key), cancellationToken);
        if (current is null || current.String("revision") != expectedETag)
        {
            return await RepeatedOrConflictAsync(key, data, expectedETag, stateName, grainId, cancellationToken);
        }

        return await CommitAsync(key, data, expectedETag, FirestoreValues.UpdatedAt(current.UpdateTime), (int)current.Integer("chunks"), cancellationToken)
            ?? await RepeatedOrConflictAsync(key, data, expectedETag, stateName, grainId, cancellationToken);
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        var key = Key(stateName, grainId);
        var name = _database.DocumentName(key);
        _versions.TryRemove(key, out _);
        var current = await GetAsync(name, cancellationToken);
        if (expectedETag is null)
        {
            // Nothing to delete; it only checks that nobody created the record meanwhile.
            if (current is not null)
            {
                throw Conflict(stateName, grainId, null, current.String("revision"));
            }

            return;
        }

        if (current is null || current.String("revision") != expectedETag)
        {
            throw Conflict(stateName, grainId, expectedETag, current?.String("revision"));
        }

        List<JsonObject> writes =
        [
            FirestoreValues.Delete(name, FirestoreValues.UpdatedAt(current.UpdateTime)),
            .. FirestoreChunks.Writes(_database, key, ReadOnlyMemory<byte>.Empty, "", (int)current.Integer("chunks")),
        ];
        try
        {
            await _database.RunAsync("clear", (client, token) => client.CommitAsync(writes, token), cancellationToken);
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
            var now = await GetAsync(name, cancellationToken);
            // A retried delete whose first attempt went through finds nothing: that is the caller's own delete.
            if (now is not null)
            {
                throw Conflict(stateName, grainId, expectedETag, now.String("revision"));
            }
        }
    }

    /// <summary>Commits the record and its chunks under <paramref name="precondition"/>; the new revision, or null when the precondition failed.</summary>
    private async Task<string?> CommitAsync(string key, ReadOnlyMemory<byte> data, string? expectedETag, JsonObject precondition, int oldChunks, CancellationToken cancellationToken)
    {
        var revision = Guid.NewGuid().ToString("N");
        var fields = new JsonObject
        {
            ["key"] = FirestoreValues.Bytes(System.Text.Encoding.UTF8.GetBytes(key)),
            ["timestamp"] = FirestoreValues.Integer(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            ["expires"] = FirestoreValues.Integer(0),
            ["revision"] = FirestoreValues.String(revision),
            ["previous"] = FirestoreValues.String(expectedETag ?? ""),
        };
        var count = FirestoreChunks.Count(data.Length);
        if (count == 0)
        {
            fields["value"] = FirestoreValues.Bytes(data.Span);
        }
        else
        {
            fields["chunks"] = FirestoreValues.Integer(count);
        }

        List<JsonObject> writes = [FirestoreValues.Set(_database.DocumentName(key), fields, precondition), .. FirestoreChunks.Writes(_database, key, data, revision, oldChunks)];
        try
        {
            var times = await _database.RunAsync("write", (client, token) => client.CommitAsync(writes, token), cancellationToken);
            if (times.Count > 0 && times[0] is { } updateTime)
            {
                Remember(key, new Version(revision, updateTime, count));
            }

            return revision;
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
            _versions.TryRemove(key, out _);
            return null;
        }
    }

    private void Remember(string key, FirestoreDocument document) =>
        Remember(key, new Version(document.String("revision"), document.UpdateTime, (int)document.Integer("chunks")));

    private void Remember(string key, Version version)
    {
        if (_versions.Count >= MaxRemembered)
        {
            _versions.Clear();
        }

        _versions[key] = version;
    }

    /// <summary>The state name is escaped so that it cannot contain the '/' that ends it; the grain id is the key's rest.</summary>
    private static string Key(string stateName, string grainId) => "/state/" + Uri.EscapeDataString(stateName) + "/" + grainId;

    private Task<FirestoreDocument?> GetAsync(string name, CancellationToken cancellationToken) =>
        _database.RunAsync("read", (client, token) => client.GetAsync(name, token), cancellationToken);

    private async Task<(FirestoreDocument Document, byte[] Data)?> ReadFullAsync(string key, CancellationToken cancellationToken)
    {
        var name = _database.DocumentName(key);
        for (var attempt = 1; ; attempt++)
        {
            var document = await GetAsync(name, cancellationToken);
            if (document is null)
            {
                return null;
            }

            var count = (int)document.Integer("chunks");
            var data = count == 0 ? document.Bytes("value") : await FirestoreChunks.ReadAsync(_database, key, count, document.String("revision"), cancellationToken);
            if (data is not null)
            {
                return (document, data);
            }

            // Replaced between reading the record and its chunks: read it again.
            if (attempt == MaxReadAttempts)
            {
                throw new InvalidOperationException($"Firestore record {key} changed under {MaxReadAttempts} reads in a row");
            }
        }
    }

    /// <summary>
    /// The ETag of the stored write when it is this very write repeated (same bytes, written over the caller's ETag,
    /// or as a create); otherwise the conflict.
    /// </summary>
    private async Task<string> RepeatedOrConflictAsync(string key, ReadOnlyMemory<byte> data, string? expectedETag, string stateName, string grainId, CancellationToken cancellationToken)
    {
        var stored = await ReadFullAsync(key, cancellationToken);
        if (stored is { } s && s.Document.String("previous") == (expectedETag ?? "") && s.Data.AsSpan().SequenceEqual(data.Span))
        {
            return s.Document.String("revision");
        }

        throw Conflict(stateName, grainId, expectedETag, stored?.Document.String("revision"));
    }

    private sealed record Version(string Revision, string UpdateTime, int Chunks);

    private static InconsistentStateException Conflict(string stateName, string grainId, string? expectedETag, string? storedETag) =>
        new($"Stale write to {stateName} of {grainId}: stored ETag {storedETag ?? "(none)"}, caller had {expectedETag ?? "(none)"}", storedETag, expectedETag);
}
