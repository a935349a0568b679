namespace Teleport.Orleans.Backends.Core.Storage;

/// <summary>
/// The cluster-state backend as grain storage sees it: one opaque record per (state name, grain id) with an ETag
/// for optimistic concurrency. Every backend (SQLite, PostgreSQL, DynamoDB, etcd, ...) implements this once and
/// gets Orleans grain storage from <see cref="ClusterStateGrainStorage"/>.
/// </summary>
public interface IClusterStateStore
{
    /// <summary>Creates the tables, files or buckets the store needs when they are missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes when the stored ETag equals <paramref name="expectedETag"/> (null: no record may exist) and returns the
    /// new ETag; otherwise throws Orleans' <c>InconsistentStateException</c>.
    /// </summary>
    Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>Deletes the record under the same ETag rule as <see cref="WriteAsync"/>.</summary>
    Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken);
}

public sealed record StoredRecord(byte[] Data, string ETag);
