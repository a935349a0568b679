using Npgsql;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Postgres.Audit;

/// <summary>
/// Audit events in PostgreSQL, indexed by time and by type. A batch is one statement, so it is stored whole or not at
/// all, and an id already stored (a retried batch) is skipped.
/// </summary>
public sealed class PostgresAuditEventStore : IAuditEventStore
{
    internal static readonly PostgresTable Table = new("teleport_audit_events", """
        CREATE TABLE teleport_audit_events (
            seq    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id     text        NOT NULL UNIQUE,
            time   timestamptz NOT NULL,
            type   text        NOT NULL,
            code   text        NOT NULL,
            "user" text        NOT NULL,
            json   text        NOT NULL
        );
        CREATE INDEX teleport_audit_events_time ON teleport_audit_events (time, seq);
        CREATE INDEX teleport_audit_events_type_time ON teleport_audit_events (type, time, seq)
        """);

    private const int MaxLimit = 10_000;

    private readonly PostgresDatabase _database;

    public PostgresAuditEventStore(PostgresDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTablesAsync([Table], cancellationToken);

    public Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _database.RunAsync("audit-append", async (connection, token) =>
        {
            // WITH ORDINALITY keeps the batch's order in seq, which breaks ties between events of one instant.
            await using var command = new NpgsqlCommand("""
                INSERT INTO teleport_audit_events (id, time, type, code, "user", json)
                SELECT id, time, type, code, "user", json
                FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
                    AS e(id, time, type, code, "user", json, n)
                ORDER BY n
                ON CONFLICT (id) DO NOTHING
                """, connection)
            {
                Parameters =
                {
                    new() { Value = events.Select(e => e.Id).ToArray() },
                    new() { Value = events.Select(e => e.Time.UtcDateTime).ToArray() },
                    new() { Value = events.Select(e => e.Type).ToArray() },
                    new() { Value = events.Select(e => e.Code).ToArray() },
                    new() { Value = events.Select(e => e.User).ToArray() },
                    new() { Value = events.Select(e => e.Json).ToArray() },
                },
            };
            return await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken) =>
        _database.RunAsync<IReadOnlyList<AuditEvent>>("audit-search", async (connection, token) =>
        {
            var order = query.Descending ? "DESC" : "ASC";
            await using var command = new NpgsqlCommand($"""
                SELECT id, time, type, code, "user", json FROM teleport_audit_events
                WHERE time >= $1 AND time <= $2 AND (cardinality($3::text[]) = 0 OR type = ANY($3))
                ORDER BY time {order}, seq {order}
                LIMIT $4
                """, connection)
            {
                Parameters =
                {
                    new() { Value = query.From.UtcDateTime },
                    new() { Value = query.To.UtcDateTime },
                    new() { Value = query.Types },
                    new() { Value = Math.Clamp(query.Limit, 1, MaxLimit) },
                },
            };
            var events = new List<AuditEvent>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                events.Add(new AuditEvent
                {
                    Id = reader.GetString(0),
                    Time = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
                    Type = reader.GetString(2),
                    Code = reader.GetString(3),
                    User = reader.GetString(4),
                    Json = reader.GetString(5),
                });
            }

            return events;
        }, cancellationToken);
}
