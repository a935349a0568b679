using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.Postgres.Membership;

/// <summary>
/// The Orleans membership table in PostgreSQL. A row change and the version move happen in one transaction; the
/// version row's lock orders concurrent writers, and the loser sees a changed version ETag and changes nothing.
/// </summary>
public sealed class PostgresMembershipStore : IMembershipStore
{
    internal static readonly PostgresTable VersionTable = new("teleport_membership_version", """
        CREATE TABLE teleport_membership_version (
            cluster_id text    NOT NULL PRIMARY KEY,
            version    integer NOT NULL,
            etag       bigint  NOT NULL
        )
        """);

    internal static readonly PostgresTable SiloTable = new("teleport_membership", """
        CREATE TABLE teleport_membership (
            cluster_id text        NOT NULL,
            silo       text        NOT NULL,
            entry      jsonb       NOT NULL,
            i_am_alive timestamptz NOT NULL,
            etag       bigint      NOT NULL,
            PRIMARY KEY (cluster_id, silo)
        )
        """);

    private readonly PostgresDatabase _database;

    public PostgresMembershipStore(PostgresDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTablesAsync([VersionTable, SiloTable], cancellationToken);

    public Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-init", (connection, token) => Execute(
            connection, "INSERT INTO teleport_membership_version (cluster_id, version, etag) VALUES ($1, 0, 0) ON CONFLICT DO NOTHING", token, clusterId), cancellationToken);

    public Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-read", async (connection, token) =>
        {
            // One statement, one snapshot: the version and the rows are read atomically.
            await using var command = new NpgsqlCommand("""
                SELECT v.version, v.etag, m.silo, m.entry::text, m.i_am_alive, m.etag
                FROM (SELECT $1::text AS cluster_id) c
                LEFT JOIN teleport_membership_version v ON v.cluster_id = c.cluster_id
                LEFT JOIN teleport_membership m ON m.cluster_id = c.cluster_id AND ($2::text IS NULL OR m.silo = $2)
                """, connection)
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = clusterId }, new NpgsqlParameter { Value = (object?)silo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } },
            };
            var (version, versionETag) = (0, "");
            var records = new List<MembershipRecord>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                if (!reader.IsDBNull(0))
                {
                    (version, versionETag) = (reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
                }

                if (!reader.IsDBNull(2))
                {
                    records.Add(new MembershipRecord(
                        reader.GetString(2),
                        reader.GetString(3),
                        DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc),
                        reader.GetInt64(5).ToString(CultureInfo.InvariantCulture)));
                }
            }

            return new MembershipSnapshot(records, version, versionETag);
        }, cancellationToken);

    public Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-insert", clusterId, version, expectedVersionETag, cancellationToken, async (connection, token) => await Execute(
            connection,
            "INSERT INTO teleport_membership (cluster_id, silo, entry, i_am_alive, etag) VALUES ($1, $2, $3::jsonb, $4, 1) ON CONFLICT DO NOTHING",
            token,
            clusterId, record.Silo, record.Entry, record.IAmAliveTime) == 1);

    public Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-update", clusterId, version, expectedVersionETag, cancellationToken, async (connection, token) =>
            long.TryParse(expectedETag, NumberStyles.None, CultureInfo.InvariantCulture, out var etag) && await Execute(
                connection,
                "UPDATE teleport_membership SET entry = $3::jsonb, i_am_alive = $4, etag = etag + 1 WHERE cluster_id = $1 AND silo = $2 AND etag = $5",
                token,
                clusterId, record.Silo, record.Entry, record.IAmAliveTime, etag) == 1);

    public Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-alive", (connection, token) => Execute(
            connection, "UPDATE teleport_membership SET i_am_alive = $3 WHERE cluster_id = $1 AND silo = $2", token, clusterId, silo, MembershipEntryCodec.ToUtc(iAmAliveTime)), cancellationToken);

    public Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-cleanup", (connection, token) => Execute(
            connection, "DELETE FROM teleport_membership WHERE cluster_id = $1 AND silo = ANY($2)", token, clusterId, silos.ToArray()), cancellationToken);

    public Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-delete", async (connection, token) =>
        {
            await using var transaction = await connection.BeginTransactionAsync(token);
            await Execute(connection, "DELETE FROM teleport_membership WHERE cluster_id = $1", token, clusterId);
            await Execute(connection, "DELETE FROM teleport_membership_version WHERE cluster_id = $1", token, clusterId);
            await transaction.CommitAsync(token);
            return true;
        }, cancellationToken);

    /// <summary>Moves the version if its ETag is unchanged, applies the row change, and commits only if both happened.</summary>
    private Task<bool> WriteAsync(string operation, string clusterId, int version, string expectedVersionETag, CancellationToken cancellationToken, Func<NpgsqlConnection, CancellationToken, Task<bool>> change) =>
        _database.RunAsync(operation, async (connection, token) =>
        {
            if (!long.TryParse(expectedVersionETag, NumberStyles.None, CultureInfo.InvariantCulture, out var versionETag))
            {
                return false;
            }

            await using var transaction = await connection.BeginTransactionAsync(token);
            var moved = await Execute(
                connection, "UPDATE teleport_membership_version SET version = $2, etag = etag + 1 WHERE cluster_id = $1 AND etag = $3", token, clusterId, version, versionETag) == 1;
            if (!moved || !await change(connection, token))
            {
                await transaction.RollbackAsync(token);
                return false;
            }

            await transaction.CommitAsync(token);
            return true;
        }, cancellationToken);

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value is DateTime time ? MembershipEntryCodec.ToUtc(time) : value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
