using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Postgres.Storage;

/// <summary>
/// Cluster state in PostgreSQL: one row per (state name, grain id) whose version column is the ETag. Every write is a
/// single conditional statement, so concurrent writers are ordered by the row lock and exactly one wins.
/// </summary>
public sealed class PostgresClusterStateStore : IClusterStateStore
{
    internal static readonly PostgresTable Table = new("teleport_cluster_state", """
        CREATE TABLE teleport_cluster_state (
            state_name text        NOT NULL,
            grain_id   text        NOT NULL,
            version    bigint      NOT NULL,
            data       bytea       NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (state_name, grain_id)
        )
        """);

    private readonly PostgresDatabase _database;

    public PostgresClusterStateStore(PostgresDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTablesAsync([Table], cancellationToken);

    public Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken) =>
        _database.RunAsync("read", async (connection, token) =>
        {
            await using var command = Command(connection, "SELECT data, version FROM teleport_cluster_state WHERE state_name = $1 AND grain_id = $2", stateName, grainId);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token)
                ? new StoredRecord(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture))
                : null;
        }, cancellationToken);

    public Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken) =>
        _database.RunAsync("write", async (connection, token) =>
        {
            var expected = expectedETag is null ? (long?)null : ParseETag(expectedETag);
            await using var command = expected is null
                ? Command(connection, "INSERT INTO teleport_cluster_state (state_name, grain_id, version, data) VALUES ($1, $2, 1, $3) ON CONFLICT DO NOTHING RETURNING version", stateName, grainId)
                : Command(connection, "UPDATE teleport_cluster_state SET version = version + 1, data = $3, updated_at = now() WHERE state_name = $1 AND grain_id = $2 AND version = $4 RETURNING version", stateName, grainId);
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = data });
            if (expected is { } version)
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
            }

            if (await command.ExecuteScalarAsync(token) is long written)
            {
                return written.ToString(CultureInfo.InvariantCulture);
            }

            // A retry after a reply that was lost finds its own write: the same bytes, one version past the caller's.
            return await RepeatedWriteAsync(connection, stateName, grainId, data, (expected ?? 0) + 1, token)
                ?? throw await ConflictAsync(connection, stateName, grainId, expectedETag, token);
        }, cancellationToken);

    public Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken) =>
        _database.RunAsync("clear", async (connection, token) =>
        {
            if (expectedETag is null)
            {
                // Clearing state that was never written: fine unless someone created it meanwhile.
                return await CurrentETagAsync(connection, stateName, grainId, token) is { } current
                    ? throw new InconsistentStateException($"Cannot clear {stateName} of {grainId}: it was written meanwhile", current, (string?)null)
                    : true;
            }

            await using var command = Command(connection, "DELETE FROM teleport_cluster_state WHERE state_name = $1 AND grain_id = $2 AND version = $3", stateName, grainId);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ParseETag(expectedETag) });
            return await command.ExecuteNonQueryAsync(token) == 1
                ? true
                : throw await ConflictAsync(connection, stateName, grainId, expectedETag, token);
        }, cancellationToken);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string stateName, string grainId) =>
        new(sql, connection) { Parameters = { new NpgsqlParameter<string> { TypedValue = stateName }, new NpgsqlParameter<string> { TypedValue = grainId } } };

    private static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not issued by the PostgreSQL backend", (string?)null, etag);

    private static async Task<string?> RepeatedWriteAsync(NpgsqlConnection connection, string stateName, string grainId, ReadOnlyMemory<byte> data, long version, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT data FROM teleport_cluster_state WHERE state_name = $1 AND grain_id = $2 AND version = $3", stateName, grainId);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] stored && data.Span.SequenceEqual(stored)
            ? version.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task<InconsistentStateException> ConflictAsync(NpgsqlConnection connection, string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        var stored = await CurrentETagAsync(connection, stateName, grainId, cancellationToken);
        return new InconsistentStateException(
            $"Stale write to {stateName} of {grainId}: stored ETag {stored ?? "(none)"}, caller had {expectedETag ?? "(none)"}",
            stored,
            expectedETag);
    }

    private static async Task<string?> CurrentETagAsync(NpgsqlConnection connection, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT version FROM teleport_cluster_state WHERE state_name = $1 AND grain_id = $2", stateName, grainId);
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version.ToString(CultureInfo.InvariantCulture) : null;
    }
}
