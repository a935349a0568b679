using System.Globalization;
using Microsoft.Data.Sqlite;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.Sqlite.Membership;

/// <summary>
/// The Orleans membership table in a SQLite file: several silos on one host (or one shared volume) form a cluster.
/// Writes run in IMMEDIATE transactions, so the version check and the row change are one atomic step.
/// </summary>
public sealed class SqliteMembershipStore : IMembershipStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS membership_version (
            cluster_id TEXT NOT NULL PRIMARY KEY,
            version    INTEGER NOT NULL,
            etag       INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS membership (
            cluster_id TEXT NOT NULL,
            silo       TEXT NOT NULL,
            entry      TEXT NOT NULL,
            i_am_alive TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            PRIMARY KEY (cluster_id, silo)
        ) WITHOUT ROWID;
        """;

    private readonly SqliteDatabase _database;

    public SqliteMembershipStore(string path)
    {
        _database = new SqliteDatabase(path);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(Schema, cancellationToken);

    public async Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await Execute(connection, null, "INSERT INTO membership_version (cluster_id, version, etag) VALUES ($cluster, 0, 0) ON CONFLICT DO NOTHING", cancellationToken, ("$cluster", clusterId));
    }

    public async Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        // A deferred transaction reads one consistent state of the file (WAL snapshot).
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, etag FROM membership_version WHERE cluster_id = $cluster";
        command.Parameters.AddWithValue("$cluster", clusterId);
        var (version, versionETag) = (0, "");
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                (version, versionETag) = (reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
            }
        }

        command.CommandText = "SELECT silo, entry, i_am_alive, etag FROM membership WHERE cluster_id = $cluster" + (silo is null ? "" : " AND silo = $silo");
        if (silo is not null)
        {
            command.Parameters.AddWithValue("$silo", silo);
        }

        var records = new List<MembershipRecord>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(new MembershipRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    reader.GetInt64(3).ToString(CultureInfo.InvariantCulture)));
            }
        }

        return new MembershipSnapshot(records, version, versionETag);
    }

    public Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync(clusterId, version, expectedVersionETag, cancellationToken, async (connection, transaction) => await Execute(
            connection,
            transaction,
            "INSERT INTO membership (cluster_id, silo, entry, i_am_alive, etag) VALUES ($cluster, $silo, $entry, $alive, 1) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("$cluster", clusterId), ("$silo", record.Silo), ("$entry", record.Entry), ("$alive", FormatTime(record.IAmAliveTime))) == 1);

    public Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync(clusterId, version, expectedVersionETag, cancellationToken, async (connection, transaction) =>
            long.TryParse(expectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out var etag) && await Execute(
                connection,
                transaction,
                "UPDATE membership SET entry = $entry, i_am_alive = $alive, etag = etag + 1 WHERE cluster_id = $cluster AND silo = $silo AND etag = $etag",
                cancellationToken,
                ("$cluster", clusterId), ("$silo", record.Silo), ("$entry", record.Entry), ("$alive", FormatTime(record.IAmAliveTime)), ("$etag", etag)) == 1);

    public async Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await Execute(connection, null, "UPDATE membership SET i_am_alive = $alive WHERE cluster_id = $cluster AND silo = $silo", cancellationToken,
            ("$cluster", clusterId), ("$silo", silo), ("$alive", FormatTime(iAmAliveTime)));
    }

    public async Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var silo in silos)
        {
            await Execute(connection, transaction, "DELETE FROM membership WHERE cluster_id = $cluster AND silo = $silo", cancellationToken, ("$cluster", clusterId), ("$silo", silo));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, "DELETE FROM membership WHERE cluster_id = $cluster", cancellationToken, ("$cluster", clusterId));
        await Execute(connection, transaction, "DELETE FROM membership_version WHERE cluster_id = $cluster", cancellationToken, ("$cluster", clusterId));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Moves the version if its ETag is unchanged, applies the row change, and commits only if both happened.</summary>
    private async Task<bool> WriteAsync(string clusterId, int version, string expectedVersionETag, CancellationToken cancellationToken, Func<SqliteConnection, SqliteTransaction, Task<bool>> change)
    {
        if (!long.TryParse(expectedVersionETag, NumberStyles.None, CultureInfo.InvariantCulture, out var versionETag))
        {
            return false;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        // IMMEDIATE: take the write lock before reading, so two writers cannot both see the old version ETag.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var moved = await Execute(
            connection,
            transaction,
            "UPDATE membership_version SET version = $version, etag = etag + 1 WHERE cluster_id = $cluster AND etag = $etag",
            cancellationToken,
            ("$cluster", clusterId), ("$version", version), ("$etag", versionETag)) == 1;
        if (!moved || !await change(connection, transaction))
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<int> Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string FormatTime(DateTime time) => MembershipEntryCodec.ToUtc(time).ToString("O", CultureInfo.InvariantCulture);
}
