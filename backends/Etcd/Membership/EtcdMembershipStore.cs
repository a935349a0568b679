using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.Etcd.Membership;

/// <summary>
/// The Orleans membership table in etcd, under <c>PREFIX/membership/CLUSTER/</c>: a <c>version</c> key, and per silo a
/// <c>silo/ADDRESS</c> key (the entry) and an <c>alive/ADDRESS</c> key (the heartbeat). ETags are mod revisions, so a
/// heartbeat, which writes only the alive key, leaves the row's ETag alone. Reading the cluster's range reads one
/// revision, which makes the read atomic; each change is one transaction over the version and the row.
/// </summary>
public sealed class EtcdMembershipStore : IMembershipStore
{
    private const string VersionKey = "version";
    private const string SiloKeys = "silo/";
    private const string AliveKeys = "alive/";

    private readonly EtcdDatabase _database;

    public EtcdMembershipStore(EtcdDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.CheckReachableAsync(cancellationToken);

    public Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        var version = Key(clusterId, VersionKey);
        return _database.TxnAsync("membership-init", new TxnRequest
        {
            Compare = { EtcdDatabase.CreatedAt(version, 0) },
            Success = { EtcdDatabase.Put(version, ByteString.CopyFromUtf8("0")) },
        }, cancellationToken);
    }

    public async Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken)
    {
        var prefix = Key(clusterId, "");
        var prefixLength = prefix.ToStringUtf8().Length;
        var response = await _database.RangeAsync("membership-read", new RangeRequest { Key = prefix, RangeEnd = EtcdDatabase.RangeEnd(prefix) }, cancellationToken);
        var (version, versionETag) = (0, "");
        var entries = new Dictionary<string, (string Entry, long ModRevision)>();
        var alive = new Dictionary<string, DateTime>();
        foreach (var kv in response.Kvs)
        {
            var name = kv.Key.ToStringUtf8()[prefixLength..];
            if (name == VersionKey)
            {
                (version, versionETag) = (int.Parse(kv.Value.ToStringUtf8(), CultureInfo.InvariantCulture), kv.ModRevision.ToString(CultureInfo.InvariantCulture));
            }
            else if (name.StartsWith(SiloKeys, StringComparison.Ordinal))
            {
                entries[name[SiloKeys.Length..]] = (kv.Value.ToStringUtf8(), kv.ModRevision);
            }
            else if (name.StartsWith(AliveKeys, StringComparison.Ordinal))
            {
                alive[name[AliveKeys.Length..]] = DateTime.Parse(kv.Value.ToStringUtf8(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }
        }

        var records = entries
            .Where(e => silo is null || e.Key == silo)
            .Select(e => new MembershipRecord(e.Key, e.Value.Entry, alive.GetValueOrDefault(e.Key), e.Value.ModRevision.ToString(CultureInfo.InvariantCulture)))
            .ToList();
        return new MembershipSnapshot(records, version, versionETag);
    }

    public Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-insert", clusterId, record, EtcdDatabase.CreatedAt(Key(clusterId, SiloKeys + record.Silo), 0), version, expectedVersionETag, cancellationToken);

    public Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        TryParse(expectedETag, out var etag)
            ? WriteAsync("membership-update", clusterId, record, EtcdDatabase.ModifiedAt(Key(clusterId, SiloKeys + record.Silo), etag), version, expectedVersionETag, cancellationToken)
            : Task.FromResult(false);

    public Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken) =>
        // Only while the row exists: a heartbeat must not leave an alive key behind a cleaned-up row.
        _database.TxnAsync("membership-alive", new TxnRequest
        {
            Compare = { EtcdDatabase.Exists(Key(clusterId, SiloKeys + silo)) },
            Success = { EtcdDatabase.Put(Key(clusterId, AliveKeys + silo), Time(iAmAliveTime)) },
        }, cancellationToken);

    public async Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken)
    {
        foreach (var chunk in silos.Chunk(EtcdDatabase.MaxTxnOps / 2))
        {
            var request = new TxnRequest();
            foreach (var silo in chunk)
            {
                request.Success.Add(EtcdDatabase.Delete(Key(clusterId, SiloKeys + silo)));
                request.Success.Add(EtcdDatabase.Delete(Key(clusterId, AliveKeys + silo)));
            }

            await _database.TxnAsync("membership-cleanup", request, cancellationToken);
        }
    }

    public Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        var prefix = Key(clusterId, "");
        return _database.DeleteAsync("membership-delete", new DeleteRangeRequest { Key = prefix, RangeEnd = EtcdDatabase.RangeEnd(prefix) }, cancellationToken);
    }

    private async Task<bool> WriteAsync(string operation, string clusterId, MembershipRecord record, Compare rowCondition, int version, string expectedVersionETag, CancellationToken cancellationToken)
    {
        if (!TryParse(expectedVersionETag, out var versionETag))
        {
            return false;
        }

        var versionKey = Key(clusterId, VersionKey);
        var response = await _database.TxnAsync(operation, new TxnRequest
        {
            Compare = { EtcdDatabase.ModifiedAt(versionKey, versionETag), rowCondition },
            Success =
            {
                EtcdDatabase.Put(versionKey, ByteString.CopyFromUtf8(version.ToString(CultureInfo.InvariantCulture))),
                EtcdDatabase.Put(Key(clusterId, SiloKeys + record.Silo), ByteString.CopyFromUtf8(record.Entry)),
                EtcdDatabase.Put(Key(clusterId, AliveKeys + record.Silo), Time(record.IAmAliveTime)),
            },
        }, cancellationToken);
        return response.Succeeded;
    }

    /// <summary>The cluster id is escaped so that it cannot contain the '/' that ends it.</summary>
    private ByteString Key(string clusterId, string rest) => _database.Key("membership", Uri.EscapeDataString(clusterId), rest);

    private static ByteString Time(DateTime time) =>
        ByteString.CopyFromUtf8(MembershipEntryCodec.ToUtc(time).ToString("O", CultureInfo.InvariantCulture));

    private static bool TryParse(string etag, out long revision) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out revision) && revision > 0;
}
