using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Postgres;

/// <summary>
/// One PostgreSQL database (<c>conn_string</c>) shared by the cluster-state, membership and audit stores: a pooled
/// data source, transient-failure retries, and table creation at start. Tables go into the connection's current
/// schema (the first existing one on its <c>search_path</c>).
/// </summary>
public sealed partial class PostgresDatabase : IAsyncDisposable
{
    public const string BackendName = "postgresql";

    private const string InsufficientPrivilege = "42501";
    private const string InvalidCatalogName = "3D000";
    private const string ReadOnlySqlTransaction = "25006";
    private const string DuplicateDatabase = "42P04";
    private const string UniqueViolation = "23505";
    private const string MaintenanceDatabase = "postgres";
    private static readonly string[] TablePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;
    private readonly TransientRetry _retry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _databaseCheck = new(1, 1);
    private bool _databaseExists;

    public PostgresDatabase(string connectionString, ILogger? logger = null, RetryOptions? retry = null)
    {
        _connectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _logger = logger ?? NullLogger.Instance;
        _retry = new TransientRetry(BackendName, IsTransient, retry, _logger);
    }

    /// <summary>
    /// Npgsql's own judgement (network failures, timeouts, server shutdown, serialization failures, deadlocks), and a
    /// write refused as read-only: a pooled connection to a primary that a failover demoted to a standby.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or PostgresException { SqlState: ReadOnlySqlTransaction };

    /// <summary>
    /// Runs <paramref name="action"/> on a pooled connection, again on a fresh one after a transient failure. A
    /// transient failure empties the pool of idle connections: after a restart or a failover of the primary every one
    /// of them is dead (Teleport issue #67488), and retrying on them one by one would use up the attempts.
    /// </summary>
    public Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, async token =>
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                return await action(connection, token);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                _dataSource.Clear();
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Creates the missing tables (one silo at a time, under an advisory lock) and checks that the role may use them
    /// all, so that a missing permission stops the start with a message naming it instead of failing a grain later.
    /// </summary>
    internal async Task EnsureTablesAsync(IReadOnlyList<PostgresTable> tables, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(cancellationToken);
        await RunAsync("initialize", async (connection, token) =>
        {
            var (role, schema) = await WhoAndWhereAsync(connection, token);
            if (await MissingAsync(connection, tables, token) is { Count: > 0 })
            {
                await using var transaction = await connection.BeginTransactionAsync(token);
                await Scalar(connection, "SELECT pg_advisory_xact_lock(hashtext('teleport-schema:' || current_schema()))", token);
                foreach (var table in await MissingAsync(connection, tables, token))
                {
                    await CreateAsync(connection, table, role, schema, token);
                }

                await transaction.CommitAsync(token);
            }

            await CheckPrivilegesAsync(connection, tables, role, token);
            return true;
        }, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _databaseCheck.Dispose();
    }

    /// <summary>
    /// Creates the database named in the connection string when it does not exist, as Teleport does: connected to
    /// the <c>postgres</c> maintenance database with the same role. A role without CREATEDB stops the start with a
    /// message that says to create the database or grant the privilege.
    /// </summary>
    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        await _databaseCheck.WaitAsync(cancellationToken);
        try
        {
            if (_databaseExists)
            {
                return;
            }

            try
            {
                await RunAsync("connect", (_, _) => Task.FromResult(true), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == InvalidCatalogName)
            {
                await CreateDatabaseAsync(cancellationToken);
            }

            _databaseExists = true;
        }
        finally
        {
            _databaseCheck.Release();
        }
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(_connectionString);
        var role = target.Username ?? Environment.UserName;
        var name = target.Database ?? role;
        var maintenance = new NpgsqlConnectionStringBuilder(_connectionString) { Database = MaintenanceDatabase, Pooling = false };
        await RunOnceAsync(maintenance.ConnectionString, async (connection, token) =>
        {
            try
            {
                await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await command.ExecuteNonQueryAsync(token);
                LogDatabaseCreated(name);
            }
            catch (PostgresException ex) when (ex.SqlState is DuplicateDatabase or UniqueViolation)
            {
                // Another auth server created it first.
            }
            catch (PostgresException ex) when (ex.SqlState == InsufficientPrivilege)
            {
                throw new BackendSetupException(
                    $"the PostgreSQL role \"{role}\" lacks CREATEDB: database \"{name}\" does not exist; create it (CREATE DATABASE \"{name}\" OWNER \"{role}\") or grant the privilege (ALTER ROLE \"{role}\" CREATEDB)",
                    ex);
            }
        }, name, cancellationToken);
    }

    private Task RunOnceAsync(string connectionString, Func<NpgsqlConnection, CancellationToken, Task> action, string database, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync("create-database", async token =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(token);
            }
            catch (PostgresException ex) when (ex.SqlState is InvalidCatalogName or InsufficientPrivilege)
            {
                throw new BackendSetupException(
                    $"PostgreSQL database \"{database}\" does not exist, and it cannot be created through the maintenance database \"{MaintenanceDatabase}\" ({ex.MessageText}); create the database first",
                    ex);
            }

            await action(connection, token);
        }, cancellationToken);

    private static async Task<(string Role, string Schema)> WhoAndWhereAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_user, current_schema(), current_setting('search_path')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var role = reader.GetString(0);
        return reader.IsDBNull(1)
            ? throw new BackendSetupException($"PostgreSQL: no schema on the search_path ({reader.GetString(2)}) exists for role \"{role}\"; create one or set 'Search Path' in the connection string")
            : (role, reader.GetString(1));
    }

    private static async Task<List<PostgresTable>> MissingAsync(NpgsqlConnection connection, IReadOnlyList<PostgresTable> tables, CancellationToken cancellationToken)
    {
        var missing = new List<PostgresTable>();
        foreach (var table in tables)
        {
            // The catalog itself, not to_regclass: its cache can miss a table another silo committed while we waited for the lock.
            await using var command = new NpgsqlCommand(
                "SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1)",
                connection)
            { Parameters = { new() { Value = table.Name } } };
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                missing.Add(table);
            }
        }

        return missing;
    }

    private async Task CreateAsync(NpgsqlConnection connection, PostgresTable table, string role, string schema, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(table.Ddl, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            LogCreated(table.Name, schema);
        }
        catch (PostgresException ex) when (ex.SqlState == InsufficientPrivilege)
        {
            throw new BackendSetupException(
                $"PostgreSQL refused to create table {table.Name} in schema \"{schema}\": role \"{role}\" lacks the CREATE privilege on schema \"{schema}\" ({ex.MessageText}). " +
                $"Grant it (GRANT CREATE ON SCHEMA \"{schema}\" TO \"{role}\") or have an administrator create the tables first.",
                ex);
        }
    }

    private static async Task CheckPrivilegesAsync(NpgsqlConnection connection, IReadOnlyList<PostgresTable> tables, string role, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand("SELECT p FROM unnest($2::text[]) p WHERE NOT has_table_privilege($1, p)", connection)
            {
                Parameters = { new() { Value = table.Name }, new() { Value = TablePrivileges } },
            };
            var lacking = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lacking.Add(reader.GetString(0));
            }

            if (lacking.Count > 0)
            {
                problems.Add($"{string.Join(", ", lacking)} on table {table.Name}");
            }
        }

        if (problems.Count > 0)
        {
            throw new BackendSetupException($"PostgreSQL role \"{role}\" lacks the privileges {string.Join("; ", problems)}; grant them (GRANT SELECT, INSERT, UPDATE, DELETE ON ... TO \"{role}\")");
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
