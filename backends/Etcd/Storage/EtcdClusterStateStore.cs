using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Etcd.Storage;

/// <summary>
/// Cluster state in etcd: one key per record, <c>PREFIX/state/STATE/GRAIN</c>, whose mod revision is the ETag. A write
/// is a transaction that puts the value only if the key's create or mod revision is still the caller's.
/// </summary>
public sealed class EtcdClusterStateStore : IClusterStateStore
{
    private readonly EtcdDatabase _database;

    public EtcdClusterStateStore(EtcdDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.CheckReachableAsync(cancellationToken);

    public async Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        var response = await _database.RangeAsync("read", new RangeRequest { Key = KeyOf(stateName, grainId) }, cancellationToken);
        return response.Kvs.Count == 0 ? null : new StoredRecord(response.Kvs[0].Value.ToByteArray(), ETag(response.Kvs[0].ModRevision));
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        var key = KeyOf(stateName, grainId);
        var request = new TxnRequest
        {
            Compare = { expectedETag is null ? EtcdDatabase.CreatedAt(key, 0) : EtcdDatabase.ModifiedAt(key, ParseETag(expectedETag)) },
            Success = { EtcdDatabase.Put(key, ByteString.CopyFrom(data.Span)) },
            Failure = { EtcdDatabase.Get(key) },
        };
        var response = await _database.TxnAsync("write", request, cancellationToken);
        // The put happened at the transaction's revision, which is now the key's mod revision.
        return response.Succeeded
            ? ETag(response.Header.Revision)
            : RepeatedWrite(response, data, expectedETag) ?? throw Conflict(stateName, grainId, expectedETag, response);
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        var key = KeyOf(stateName, grainId);
        var request = new TxnRequest
        {
            // Without an ETag, clearing is a no-op that only checks that nobody created the record meanwhile.
            Compare = { expectedETag is null ? EtcdDatabase.CreatedAt(key, 0) : EtcdDatabase.ModifiedAt(key, ParseETag(expectedETag)) },
            Failure = { EtcdDatabase.Get(key) },
        };
        if (expectedETag is not null)
        {
            request.Success.Add(EtcdDatabase.Delete(key));
        }

        var response = await _database.TxnAsync("clear", request, cancellationToken);
        if (!response.Succeeded)
        {
            throw Conflict(stateName, grainId, expectedETag, response);
        }
    }

    /// <summary>The state name is escaped so that it cannot contain the '/' that ends it; the grain id is the key's rest.</summary>
    private ByteString KeyOf(string stateName, string grainId) => _database.Key("state", Uri.EscapeDataString(stateName), grainId);

    private static string ETag(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    private static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not issued by the etcd backend", (string?)null, etag);

    /// <summary>
    /// The ETag of a write that this one repeats, as a caller retrying after a lost reply sends it: the same bytes,
    /// stored after the caller's revision (unchanged since creation, for a create); null otherwise.
    /// </summary>
    private static string? RepeatedWrite(TxnResponse response, ReadOnlyMemory<byte> data, string? expectedETag)
    {
        if (response.Responses[0].ResponseRange.Kvs is not [var stored] || !stored.Value.Span.SequenceEqual(data.Span))
        {
            return null;
        }

        var repeats = expectedETag is null ? stored.ModRevision == stored.CreateRevision : stored.ModRevision > ParseETag(expectedETag);
        return repeats ? ETag(stored.ModRevision) : null;
    }

    private static InconsistentStateException Conflict(string stateName, string grainId, string? expectedETag, TxnResponse response)
    {
        var stored = response.Responses[0].ResponseRange.Kvs is { Count: > 0 } kvs ? ETag(kvs[0].ModRevision) : null;
        return new InconsistentStateException(
            $"Stale write to {stateName} of {grainId}: stored ETag {stored ?? "(none)"}, caller had {expectedETag ?? "(none)"}",
            stored,
            expectedETag);
    }
}
