using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Sqlite.Storage;

/// <summary>Cluster state in one SQLite file: the embedded default backend.</summary>
public sealed class SqliteClusterStateStore : IClusterStateStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            data       BLOB NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        """;

    private const int SqliteConstraint = 19;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    public SqliteClusterStateStore(string path, TimeProvider? time = null)
    {
        _database = new SqliteDatabase(path);
        _time = time ?? TimeProvider.System;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(Schema, cancellationToken);

    public async Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredRecord((byte[])reader.GetValue(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        command.Parameters.AddWithValue("$data", data.ToArray());
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));

        if (expectedETag is null)
        {
            command.CommandText = "INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ($state, $grain, 1, $data, $now)";
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                return "1";
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint)
            {
                return await RepeatedWriteAsync(connection, stateName, grainId, data, 0, cancellationToken)
                    ?? throw await ConflictAsync(connection, stateName, grainId, expectedETag, cancellationToken);
            }
        }

        var expected = ParseETag(expectedETag);
        command.CommandText = """
            UPDATE grain_state SET etag = etag + 1, data = $data, updated_at = $now
            WHERE state_name = $state AND grain_id = $grain AND etag = $etag
            RETURNING etag
            """;
        command.Parameters.AddWithValue("$etag", expected);
        var written = await command.ExecuteScalarAsync(cancellationToken);
        if (written is null)
        {
            return await RepeatedWriteAsync(connection, stateName, grainId, data, expected, cancellationToken)
                ?? throw await ConflictAsync(connection, stateName, grainId, expectedETag, cancellationToken);
        }

        return Convert.ToInt64(written, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        if (expectedETag is null)
        {
            // Clearing state that was never written: fine unless someone else created it meanwhile.
            var current = await CurrentETagAsync(connection, stateName, grainId, cancellationToken);
            if (current is not null)
            {
                throw new InconsistentStateException($"Cannot clear {stateName} of {grainId}: it was written meanwhile", current, (string?)null);
            }

            return;
        }

        command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag";
        command.Parameters.AddWithValue("$etag", ParseETag(expectedETag));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw await ConflictAsync(connection, stateName, grainId, expectedETag, cancellationToken);
        }
    }

    private static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not issued by the SQLite backend", (string?)null, etag);

    /// <summary>
    /// The ETag of a write that this one repeats (same bytes, one version past the caller's), as a caller retrying
    /// after a lost reply sends it; null when the record holds anything else.
    /// </summary>
    private static async Task<string?> RepeatedWriteAsync(SqliteConnection connection, string stateName, string grainId, ReadOnlyMemory<byte> data, long expected, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM grain_state WHERE state_name = $state AND grain_id = $grain AND etag = $etag";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        command.Parameters.AddWithValue("$etag", expected + 1);
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] stored && data.Span.SequenceEqual(stored)
            ? (expected + 1).ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static async Task<InconsistentStateException> ConflictAsync(SqliteConnection connection, string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        var stored = await CurrentETagAsync(connection, stateName, grainId, cancellationToken);
        return new InconsistentStateException(
            $"Stale write to {stateName} of {grainId}: stored ETag {stored ?? "(none)"}, caller had {expectedETag ?? "(none)"}",
            stored,
            expectedETag);
    }

    private static async Task<string?> CurrentETagAsync(SqliteConnection connection, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }
}
