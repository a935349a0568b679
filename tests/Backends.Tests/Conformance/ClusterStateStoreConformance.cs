using System.Text;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Tests.Conformance;

/// <summary>What every cluster-state backend must do; each backend's test class derives from this one.</summary>
public abstract class ClusterStateStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected IClusterStateStore Store { get; private set; } = null!;

    /// <summary>A store over a namespace (file, schema, key prefix) that no other test uses.</summary>
    protected abstract Task<IClusterStateStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reading_a_missing_record_returns_null()
    {
        Assert.Null(await Store.ReadAsync("user", "nobody", None));
    }

    [Fact]
    public async Task Initializing_again_keeps_the_records()
    {
        await Write("user", "kept", "v1", null);

        await Store.InitializeAsync(None);

        Assert.Equal("v1", await ReadText("user", "kept"));
    }

    [Fact]
    public async Task Each_write_returns_a_new_etag_and_read_returns_the_data_and_etag()
    {
        var first = await Write("user", "alice", "v1", null);
        var second = await Write("user", "alice", "v2", first);
        var third = await Write("user", "alice", "v3", second);

        var record = await Store.ReadAsync("user", "alice", None);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Equal(third, record!.ETag);
        Assert.Equal("v3", Encoding.UTF8.GetString(record.Data));
    }

    [Fact]
    public async Task A_stale_write_throws_inconsistent_state_naming_the_stored_etag_and_keeps_the_data()
    {
        var first = await Write("user", "bob", "v1", null);
        var second = await Write("user", "bob", "v2", first);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Write("user", "bob", "stale", first));

        Assert.Equal(second, error.StoredEtag);
        Assert.Equal("v2", await ReadText("user", "bob"));
    }

    [Fact]
    public async Task A_write_repeated_after_a_lost_reply_returns_the_etag_it_produced()
    {
        var created = await Write("user", "retried", "v1", null);
        Assert.Equal(created, await Write("user", "retried", "v1", null));
        var updated = await Write("user", "retried", "v2", created);

        Assert.Equal(updated, await Write("user", "retried", "v2", created));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("user", "retried", "v3", created));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("user", "retried", "v1", null));
        Assert.Equal("v2", await ReadText("user", "retried"));
    }

    [Fact]
    public async Task Creating_a_record_that_exists_is_a_conflict()
    {
        await Write("role", "dev", "v1", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("role", "dev", "again", null));
        Assert.Equal("v1", await ReadText("role", "dev"));
    }

    [Fact]
    public async Task Writing_with_an_etag_when_no_record_exists_is_a_conflict()
    {
        var etag = await Write("role", "gone", "v1", null);
        await Store.ClearAsync("role", "gone", etag, None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("role", "gone", "v2", etag));
        Assert.Null(await Store.ReadAsync("role", "gone", None));
    }

    [Fact]
    public async Task An_etag_the_backend_never_issued_is_a_conflict()
    {
        await Write("role", "odd", "v1", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Write("role", "odd", "v2", "not-an-etag"));
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_is_refused_and_with_the_current_one_deletes()
    {
        var first = await Write("token", "t1", "v1", null);
        var second = await Write("token", "t1", "v2", first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.ClearAsync("token", "t1", first, None));
        Assert.Equal("v2", await ReadText("token", "t1"));
        await Store.ClearAsync("token", "t1", second, None);

        Assert.Null(await Store.ReadAsync("token", "t1", None));
    }

    [Fact]
    public async Task Clear_without_an_etag_is_a_no_op_when_missing_and_a_conflict_when_the_record_exists()
    {
        await Store.ClearAsync("token", "never", null, None);
        await Write("token", "exists", "v1", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.ClearAsync("token", "exists", null, None));
        Assert.Equal("v1", await ReadText("token", "exists"));
    }

    [Fact]
    public async Task A_cleared_record_can_be_created_again()
    {
        var etag = await Write("user", "phoenix", "v1", null);
        await Store.ClearAsync("user", "phoenix", etag, None);

        var again = await Write("user", "phoenix", "v2", null);

        Assert.Equal(again, (await Store.ReadAsync("user", "phoenix", None))!.ETag);
        Assert.Equal("v2", await ReadText("user", "phoenix"));
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_let_exactly_one_win()
    {
        var etag = await Write("user", "carol", "v1", null);

        var winners = await CountWinners(8, i => Write("user", "carol", "writer " + i, etag));

        Assert.Equal(1, winners);
        Assert.StartsWith("writer ", await ReadText("user", "carol"));
    }

    [Fact]
    public async Task Concurrent_creators_let_exactly_one_win()
    {
        var winners = await CountWinners(8, i => Write("user", "erin", "creator " + i, null));

        Assert.Equal(1, winners);
    }

    [Fact]
    public async Task A_large_record_round_trips_byte_for_byte()
    {
        var data = new byte[1024 * 1024];
        new Random(42).NextBytes(data);

        var etag = await Store.WriteAsync("recording-index", "big", data, null, None);
        var record = await Store.ReadAsync("recording-index", "big", None);

        Assert.Equal(etag, record!.ETag);
        Assert.Equal(data, record.Data);
    }

    [Fact]
    public async Task An_empty_record_round_trips()
    {
        await Store.WriteAsync("user", "empty", ReadOnlyMemory<byte>.Empty, null, None);

        Assert.Empty((await Store.ReadAsync("user", "empty", None))!.Data);
    }

    [Theory]
    [InlineData("user/ünïcödé/日本語")]
    [InlineData("émoji-🔑-key")]
    [InlineData("a/b/../c%2F 'quoted' \"double\"")]
    public async Task Unicode_and_path_like_grain_ids_are_kept_exactly(string grainId)
    {
        await Write("user", grainId, "value of " + grainId, null);

        Assert.Equal("value of " + grainId, await ReadText("user", grainId));
        Assert.Null(await Store.ReadAsync("user", grainId + " ", None));
        Assert.Null(await Store.ReadAsync("user", grainId.ToUpperInvariant(), None));
    }

    [Fact]
    public async Task State_names_keep_records_apart_even_when_they_look_like_paths()
    {
        await Write("user", "same", "a user", null);
        await Write("role", "same", "a role", null);
        await Write("a/b", "c", "one", null);
        await Write("a", "b/c", "two", null);

        Assert.Equal("a user", await ReadText("user", "same"));
        Assert.Equal("a role", await ReadText("role", "same"));
        Assert.Equal("one", await ReadText("a/b", "c"));
        Assert.Equal("two", await ReadText("a", "b/c"));
    }

    protected Task<string> Write(string state, string grain, string data, string? etag) =>
        Store.WriteAsync(state, grain, Encoding.UTF8.GetBytes(data), etag, None);

    protected async Task<string?> ReadText(string state, string grain) =>
        await Store.ReadAsync(state, grain, None) is { } record ? Encoding.UTF8.GetString(record.Data) : null;

    private static async Task<int> CountWinners(int writers, Func<int, Task> write)
    {
        // All writers wait on one gate so that they really race.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await write(i);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })).ToList();
        gate.SetResult();
        return (await Task.WhenAll(racing)).Count(won => won);
    }
}
