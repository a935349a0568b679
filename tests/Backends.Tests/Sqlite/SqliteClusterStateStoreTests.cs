using Microsoft.Data.Sqlite;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Sqlite.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Sqlite;

public sealed class SqliteClusterStateStoreTests : ClusterStateStoreConformance
{
    private readonly TempDirectory _dir = new();

    private string DbPath => Path.Combine(_dir.Path, "backend", "cluster-state.db");

    protected override Task<IClusterStateStore> CreateStoreAsync() => Task.FromResult<IClusterStateStore>(new SqliteClusterStateStore(DbPath));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Data_survives_reopening_the_file_which_uses_wal()
    {
        await Write("user", "dave", "persisted", null);
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteClusterStateStore(DbPath);
        await reopened.InitializeAsync(CancellationToken.None);

        Assert.Equal("persisted", System.Text.Encoding.UTF8.GetString((await reopened.ReadAsync("user", "dave", CancellationToken.None))!.Data));
        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
