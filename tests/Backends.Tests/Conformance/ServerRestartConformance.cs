using System.Text;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Conformance;

/// <summary>
/// What every backend does when its server goes away mid-test and comes back: calls fail with the server's own error
/// (not a conflict, not a hang) while it is down, and afterwards the data written before is intact and writable.
/// Each derived class runs a server of its own (<see cref="Server"/>), so that stopping it disturbs no other test, and
/// names the stores to check; a store it does not have is null.
/// </summary>
public abstract class ServerRestartConformance<TServer> : IAsyncLifetime
    where TServer : IRestartableServer, new()
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly List<IDisposable> _owned = [];

    /// <summary>Few, short retries: the down phase must fail quickly.</summary>
    protected static RetryOptions QuickRetry { get; } = new() { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };

    protected TServer Server { get; } = new();

    /// <summary>The cluster-state store on <see cref="Server"/>, with <see cref="QuickRetry"/>; null when the backend has none.</summary>
    protected virtual IClusterStateStore? CreateStateStore() => null;

    /// <summary>The recording store on <see cref="Server"/>, with <see cref="QuickRetry"/>; null when the backend has none.</summary>
    protected virtual IRecordingStore? CreateRecordingStore() => null;

    public Task InitializeAsync() => Server.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Server.DisposeAsync();
    }

    /// <summary>Disposed with the test, before the server.</summary>
    protected T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private Task StopServerAsync() => Server.StopAsync();

    private Task StartServerAsync() => Server.StartAsync();

    [Fact]
    public async Task Cluster_state_survives_a_server_restart_and_calls_fail_clearly_while_it_is_down()
    {
        if (CreateStateStore() is not { } store)
        {
            return;
        }

        await store.InitializeAsync(None);
        var etag = await store.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("before"), null, None);

        await StopServerAsync();
        var down = await Assert.ThrowsAnyAsync<Exception>(() => store.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("while down"), etag, None));
        Assert.IsNotType<InconsistentStateException>(down);
        await StartServerAsync();

        var record = await store.ReadAsync("user", "alice", None);
        Assert.Equal("before", Encoding.UTF8.GetString(record!.Data));
        Assert.Equal(etag, record.ETag);
        var after = await store.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("after"), etag, None);
        Assert.Equal("after", Encoding.UTF8.GetString((await store.ReadAsync("user", "alice", None))!.Data));
        Assert.NotEqual(etag, after);
    }

    [Fact]
    public async Task Recordings_survive_a_server_restart_byte_for_byte()
    {
        if (CreateRecordingStore() is not { } store)
        {
            return;
        }

        await store.InitializeAsync(None);
        var data = new byte[2 * 1024 * 1024 + 5];
        new Random(7).NextBytes(data);
        await store.UploadAsync("kept", new MemoryStream(data), None);

        await StopServerAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => store.UploadAsync("while-down", new MemoryStream(data), None));
        await StartServerAsync();

        await using var stream = await store.DownloadAsync("kept", None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
        Assert.Null(await store.DownloadAsync("while-down", None));
    }
}
