using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.Postgres;

public sealed partial class PostgresDatabase
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created PostgreSQL table {Table} in schema {Schema}")]
    private partial void LogCreated(string table, string schema);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created PostgreSQL database {Database}")]
    private partial void LogDatabaseCreated(string database);
}
