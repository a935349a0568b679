namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>
/// The Orleans membership table as a backend keeps it: per cluster, one version row (a number and an ETag) and one
/// row per silo. Every change to a silo row moves the version in the same atomic step, so silos that read the
/// table agree on one order of changes. <see cref="ClusterMembershipTable"/> adapts this to Orleans'
/// <c>IMembershipTable</c>; each backend implements only storage.
/// </summary>
public interface IMembershipStore
{
    /// <summary>Creates the tables or key spaces the store needs when they are missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Creates the cluster's version row (version 0) unless it exists.</summary>
    Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the version and the rows atomically: all rows, or only <paramref name="silo"/>'s. Without a version row
    /// the version is 0 with an empty ETag, which no insert or update accepts.
    /// </summary>
    Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a row and sets the version to <paramref name="version"/> if the version ETag is still
    /// <paramref name="expectedVersionETag"/> and the silo has no row; false, changing nothing, otherwise.
    /// </summary>
    Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a row (its entry and alive time) and sets the version if both the row's ETag and the version ETag are
    /// unchanged; false, changing nothing, otherwise. Heartbeats must not change the row's ETag.
    /// </summary>
    Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken);

    /// <summary>Sets a silo's alive time only: neither its ETag nor the version changes.</summary>
    Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken);

    /// <summary>Deletes the given silos' rows; the version stays.</summary>
    Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken);

    /// <summary>Deletes the cluster's rows and its version row.</summary>
    Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken);
}
