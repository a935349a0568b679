using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Firestore.Client;

namespace Teleport.Orleans.Backends.Firestore.Membership;

/// <summary>
/// The Orleans membership table in Firestore, in the backend's collection under keys <c>/membership/CLUSTER/</c>: a
/// <c>version</c> document, and per silo a <c>silo/ADDRESS</c> document (the entry) and an <c>alive/ADDRESS</c>
/// document (the heartbeat). ETags are update times, so a heartbeat, which writes only the alive document, leaves the
/// row's and the version's ETags alone. One query over the cluster's key range reads at one instant; each change is
/// one commit of the version and the row, both conditional on the update times the caller read.
/// </summary>
public sealed class FirestoreMembershipStore : IMembershipStore
{
    private const string VersionKey = "version";
    private const string SiloKeys = "silo/";
    private const string AliveKeys = "alive/";
    private const int SilosPerCommit = FirestoreDatabase.MaxWritesPerCommit / 2;

    private readonly FirestoreDatabase _database;

    public FirestoreMembershipStore(FirestoreDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    public async Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync("membership-init", [VersionWrite(clusterId, 0, FirestoreValues.Missing())], cancellationToken);
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
            // The version document exists already.
        }
    }

    public async Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken)
    {
        var prefix = Prefix(clusterId);
        var (version, versionETag) = (0, "");
        var entries = new Dictionary<string, (string Entry, string ETag)>();
        var alive = new Dictionary<string, DateTime>();
        foreach (var document in await ClusterDocumentsAsync(clusterId, cancellationToken))
        {
            var name = Encoding.UTF8.GetString(document.Bytes("key"))[prefix.Length..];
            if (name == VersionKey)
            {
                (version, versionETag) = ((int)document.Integer("version"), document.UpdateTime);
            }
            else if (name.StartsWith(SiloKeys, StringComparison.Ordinal))
            {
                entries[Uri.UnescapeDataString(name[SiloKeys.Length..])] = (document.String("entry"), document.UpdateTime);
            }
            else if (name.StartsWith(AliveKeys, StringComparison.Ordinal))
            {
                alive[Uri.UnescapeDataString(name[AliveKeys.Length..])] = DateTime.Parse(document.String("alive"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }
        }

        var records = entries
            .Where(e => silo is null || e.Key == silo)
            .Select(e => new MembershipRecord(e.Key, e.Value.Entry, alive.GetValueOrDefault(e.Key), e.Value.ETag))
            .ToList();
        return new MembershipSnapshot(records, version, versionETag);
    }

    public Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-insert", clusterId, record, FirestoreValues.Missing(), version, expectedVersionETag, cancellationToken);

    public Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        FirestoreTime.TryParse(expectedETag, out _)
            ? WriteAsync("membership-update", clusterId, record, FirestoreValues.UpdatedAt(expectedETag), version, expectedVersionETag, cancellationToken)
            : Task.FromResult(false);

    public async Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken)
    {
        try
        {
            // Only while the row exists (its alive document goes with it): a heartbeat must not outlive a cleaned-up row.
            await CommitAsync("membership-alive", [AliveWrite(clusterId, silo, iAmAliveTime, FirestoreValues.Exists())], cancellationToken);
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
        }
    }

    public async Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken)
    {
        foreach (var chunk in silos.Chunk(SilosPerCommit))
        {
            await CommitAsync("membership-cleanup", [.. chunk.SelectMany(s => new[]
            {
                FirestoreValues.Delete(_database.DocumentName(Prefix(clusterId) + SiloKeys + Uri.EscapeDataString(s))),
                FirestoreValues.Delete(_database.DocumentName(Prefix(clusterId) + AliveKeys + Uri.EscapeDataString(s))),
            })], cancellationToken);
        }
    }

    public async Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        var documents = await ClusterDocumentsAsync(clusterId, cancellationToken);
        foreach (var chunk in documents.Chunk(FirestoreDatabase.MaxWritesPerCommit))
        {
            await CommitAsync("membership-delete", [.. chunk.Select(d => FirestoreValues.Delete(d.Name))], cancellationToken);
        }
    }

    private async Task<bool> WriteAsync(string operation, string clusterId, MembershipRecord record, JsonObject rowPrecondition, int version, string expectedVersionETag, CancellationToken cancellationToken)
    {
        if (!FirestoreTime.TryParse(expectedVersionETag, out _))
        {
            return false;
        }

        var row = _database.DocumentName(Prefix(clusterId) + SiloKeys + Uri.EscapeDataString(record.Silo));
        try
        {
            await CommitAsync(operation,
            [
                VersionWrite(clusterId, version, FirestoreValues.UpdatedAt(expectedVersionETag)),
                FirestoreValues.Set(row, Fields(Prefix(clusterId) + SiloKeys + Uri.EscapeDataString(record.Silo), "entry", FirestoreValues.String(record.Entry)), rowPrecondition),
                AliveWrite(clusterId, record.Silo, record.IAmAliveTime, null),
            ], cancellationToken);
            return true;
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
            return false;
        }
    }

    /// <summary>Every document of the cluster, read at one instant: a range of the <c>key</c> field.</summary>
    private async Task<IReadOnlyList<FirestoreDocument>> ClusterDocumentsAsync(string clusterId, CancellationToken cancellationToken)
    {
        var start = Encoding.UTF8.GetBytes(Prefix(clusterId));
        var end = (byte[])start.Clone();
        end[^1]++; // the prefix ends with '/', so this is the first key after the range
        return await _database.RunAsync("membership-read", (client, token) => client.RunQueryAsync(new JsonObject
        {
            ["from"] = new JsonArray(new JsonObject { ["collectionId"] = _database.Collection }),
            ["where"] = FirestoreValues.And(
                FirestoreValues.FieldFilter("key", "GREATER_THAN_OR_EQUAL", FirestoreValues.Bytes(start)),
                FirestoreValues.FieldFilter("key", "LESS_THAN", FirestoreValues.Bytes(end))),
        }, token), cancellationToken);
    }

    private Task CommitAsync(string operation, IReadOnlyList<JsonObject> writes, CancellationToken cancellationToken) =>
        _database.RunAsync(operation, (client, token) => client.CommitAsync(writes, token), cancellationToken);

    private JsonObject VersionWrite(string clusterId, int version, JsonObject precondition) =>
        FirestoreValues.Set(_database.DocumentName(Prefix(clusterId) + VersionKey), Fields(Prefix(clusterId) + VersionKey, "version", FirestoreValues.Integer(version)), precondition);

    private JsonObject AliveWrite(string clusterId, string silo, DateTime time, JsonObject? precondition)
    {
        var key = Prefix(clusterId) + AliveKeys + Uri.EscapeDataString(silo);
        var text = MembershipEntryCodec.ToUtc(time).ToString("O", CultureInfo.InvariantCulture);
        return FirestoreValues.Set(_database.DocumentName(key), Fields(key, "alive", FirestoreValues.String(text)), precondition);
    }

    private static JsonObject Fields(string key, string field, JsonObject value) => new()
    {
        ["key"] = FirestoreValues.Bytes(Encoding.UTF8.GetBytes(key)),
        [field] = value,
        ["timestamp"] = FirestoreValues.Integer(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        ["expires"] = FirestoreValues.Integer(0),
    };

    /// <summary>The cluster id is escaped so that it cannot contain the '/' that ends it.</summary>
    private static string Prefix(string clusterId) => "/membership/" + Uri.EscapeDataString(clusterId) + "/";
}
