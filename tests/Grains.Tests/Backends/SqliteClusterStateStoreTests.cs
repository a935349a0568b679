using System.Text;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using Teleport.Orleans.Backends.Sqlite.Storage;

namespace Teleport.Orleans.Grains.Tests.Backends;

public sealed class SqliteClusterStateStoreTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "teleport-sqlite-" + Guid.NewGuid().ToString("N"));
    private SqliteClusterStateStore _store = null!;

    private string DbPath => Path.Combine(_dir, "state.db");

    public async Task InitializeAsync()
    {
        _store = new SqliteClusterStateStore(DbPath);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Write_returns_a_new_etag_and_read_returns_the_data()
    {
        var first = await Write("user", "alice", "v1", null);
        var second = await Write("user", "alice", "v2", first);

        var record = await _store.ReadAsync("user", "alice", CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(second, record!.ETag);
        Assert.Equal("v2", Encoding.UTF8.GetString(record.Data));
    }

    [Fact]
    public async Task Stale_write_throws_inconsistent_state_and_keeps_the_stored_data()
    {
        var first = await Write("user", "bob", "v1", null);
        await Write("user", "bob", "v2", first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Write("user", "bob", "stale", first));

        Assert.Equal("2", error.StoredEtag);
        Assert.Equal("v2", Encoding.UTF8.GetString((await _store.ReadAsync("user", "bob", CancellationToken.None))!.Data));
    }

    [Fact]
    public async Task Creating_a_record_that_exists_is_a_conflict()
    {
        await Write("role", "dev", "v1", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("role", "dev", "again", null));
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_is_refused_and_with_the_current_one_deletes()
    {
        var first = await Write("token", "t1", "v1", null);
        var second = await Write("token", "t1", "v2", first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _store.ClearAsync("token", "t1", first, CancellationToken.None));
        await _store.ClearAsync("token", "t1", second, CancellationToken.None);

        Assert.Null(await _store.ReadAsync("token", "t1", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_let_exactly_one_win()
    {
        var etag = await Write("user", "carol", "v1", null);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Write("user", "carol", "writer " + i, etag);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, results.Count(won => won));
    }

    [Fact]
    public async Task Data_survives_reopening_the_file_and_uses_wal()
    {
        await Write("user", "dave", "persisted", null);
        SqliteConnection.ClearAllPools();

        var reopened = new SqliteClusterStateStore(DbPath);
        await reopened.InitializeAsync(CancellationToken.None);

        Assert.Equal("persisted", Encoding.UTF8.GetString((await reopened.ReadAsync("user", "dave", CancellationToken.None))!.Data));
        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task State_names_keep_records_apart()
    {
        await Write("user", "same", "a user", null);
        await Write("role", "same", "a role", null);

        Assert.Equal("a user", Encoding.UTF8.GetString((await _store.ReadAsync("user", "same", CancellationToken.None))!.Data));
        Assert.Equal("a role", Encoding.UTF8.GetString((await _store.ReadAsync("role", "same", CancellationToken.None))!.Data));
    }

    private Task<string> Write(string state, string grain, string data, string? etag) =>
        _store.WriteAsync(state, grain, Encoding.UTF8.GetBytes(data), etag, CancellationToken.None);
}
