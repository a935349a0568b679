using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>
/// Orleans' membership table over any <see cref="IMembershipStore"/>: the entry encoding, the version bookkeeping
/// and the cleanup rule live here once, so that every backend behaves alike under the conformance suite.
/// </summary>
public sealed partial class ClusterMembershipTable : IMembershipTable
{
    private readonly IMembershipStore _store;
    private readonly string _clusterId;
    private readonly ILogger<ClusterMembershipTable> _logger;

    public ClusterMembershipTable(IMembershipStore store, IOptions<ClusterOptions> cluster, ILogger<ClusterMembershipTable> logger)
    {
        _store = store;
        _clusterId = cluster.Value.ClusterId;
        _logger = logger;
    }

    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken);
        if (tryInitTableVersion)
        {
            await _store.EnsureVersionAsync(_clusterId, cancellationToken);
        }
    }

    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken) =>
        _store.DeleteClusterAsync(clusterId, cancellationToken);

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        var snapshot = await _store.ReadAsync(_clusterId, silo: null, cancellationToken);
        var defunct = snapshot.Records
            .Select(MembershipEntryCodec.FromRecord)
            .Where(entry => entry.Status == SiloStatus.Dead && MembershipEntryCodec.LastUpdate(entry) < beforeDate.UtcDateTime)
            .Select(entry => entry.SiloAddress.ToParsableString())
            .ToList();
        if (defunct.Count > 0)
        {
            // Dead is final for a silo generation, so deleting what was read as dead cannot lose a newer change.
            await _store.DeleteRowsAsync(_clusterId, defunct, cancellationToken);
            LogCleanedUp(defunct.Count, _clusterId);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken) =>
        ToTableData(await _store.ReadAsync(_clusterId, key.ToParsableString(), cancellationToken));

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) =>
        ToTableData(await _store.ReadAsync(_clusterId, silo: null, cancellationToken));

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var inserted = await _store.InsertAsync(_clusterId, MembershipEntryCodec.ToRecord(entry), tableVersion.Version, tableVersion.VersionEtag, cancellationToken);
        if (!inserted)
        {
            LogRefused("insert", entry.SiloAddress, tableVersion);
        }

        return inserted;
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        var updated = await _store.UpdateAsync(_clusterId, MembershipEntryCodec.ToRecord(entry), etag, tableVersion.Version, tableVersion.VersionEtag, cancellationToken);
        if (!updated)
        {
            LogRefused("update", entry.SiloAddress, tableVersion);
        }

        return updated;
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken) =>
        _store.UpdateIAmAliveAsync(_clusterId, entry.SiloAddress.ToParsableString(), MembershipEntryCodec.ToUtc(entry.IAmAliveTime), cancellationToken);

    private static MembershipTableData ToTableData(MembershipSnapshot snapshot) => new(
        [.. snapshot.Records.Select(record => Tuple.Create(MembershipEntryCodec.FromRecord(record), record.ETag))],
        new TableVersion(snapshot.Version, snapshot.VersionETag));
}
