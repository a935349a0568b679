using Microsoft.Data.Sqlite;

namespace Teleport.Orleans.Backends.Sqlite;

/// <summary>Opens connections to one SQLite file with the settings that make it durable and concurrent.</summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers run beside the writer; synchronous=FULL makes each commit survive a killed process and a power cut.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates the directory and switches the file to WAL (a persistent setting of the database).</summary>
    public async Task InitializeAsync(string schema, CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot create the directory {directory} for {Path}: {ex.Message}", ex);
            }
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;" + schema;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new IOException($"cannot use the SQLite database {Path}: {ex.Message}", ex);
        }
    }
}
