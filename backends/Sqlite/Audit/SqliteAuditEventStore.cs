using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Sqlite.Audit;

/// <summary>Audit events in a SQLite file in the data dir, indexed by time and by type.</summary>
public sealed class SqliteAuditEventStore : IAuditEventStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS audit_events (
            seq     INTEGER PRIMARY KEY AUTOINCREMENT,
            id      TEXT NOT NULL UNIQUE,
            time_ms INTEGER NOT NULL,
            type    TEXT NOT NULL,
            code    TEXT NOT NULL,
            user    TEXT NOT NULL,
            json    TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS audit_events_time ON audit_events (time_ms);
        CREATE INDEX IF NOT EXISTS audit_events_type_time ON audit_events (type, time_ms);
        """;

    private readonly SqliteDatabase _database;

    public SqliteAuditEventStore(string path)
    {
        _database = new SqliteDatabase(path);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(Schema, cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // An event retried after a lost reply carries the same id and is stored once.
        command.CommandText = """
            INSERT INTO audit_events (id, time_ms, type, code, user, json) VALUES ($id, $time, $type, $code, $user, $json)
            ON CONFLICT (id) DO NOTHING
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var time = command.Parameters.Add("$time", SqliteType.Integer);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var code = command.Parameters.Add("$code", SqliteType.Text);
        var user = command.Parameters.Add("$user", SqliteType.Text);
        var json = command.Parameters.Add("$json", SqliteType.Text);
        foreach (var auditEvent in events)
        {
            id.Value = auditEvent.Id;
            time.Value = auditEvent.Time.ToUnixTimeMilliseconds();
            type.Value = auditEvent.Type;
            code.Value = auditEvent.Code;
            user.Value = auditEvent.User;
            json.Value = auditEvent.Json;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, time_ms, type, code, user, json FROM audit_events WHERE time_ms >= $from AND time_ms <= $to");
        command.Parameters.AddWithValue("$from", query.From.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", query.To.ToUnixTimeMilliseconds());
        if (query.Types.Length > 0)
        {
            var names = query.Types.Select((type, i) => "$type" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            for (var i = 0; i < names.Length; i++)
            {
                command.Parameters.AddWithValue(names[i], query.Types[i]);
            }

            sql.Append(" AND type IN (").Append(string.Join(", ", names)).Append(')');
        }

        sql.Append(query.Descending ? " ORDER BY time_ms DESC, seq DESC" : " ORDER BY time_ms, seq").Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 10_000));
        command.CommandText = sql.ToString();

        var events = new List<AuditEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AuditEvent
            {
                Id = reader.GetString(0),
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Type = reader.GetString(2),
                Code = reader.GetString(3),
                User = reader.GetString(4),
                Json = reader.GetString(5),
            });
        }

        return events;
    }
}
