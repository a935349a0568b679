using Grpc.Core;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Storage;
using Teleport.Orleans.Backends.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

public sealed class EtcdRetryTests
{
    [Fact]
    public async Task An_unreachable_peer_is_retried_logged_and_counted_then_the_error_is_thrown()
    {
        using var counters = new CounterRecorder(EtcdDatabase.BackendName);
        var logger = new ListLogger();
        var retry = new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        using var database = new EtcdDatabase([$"http://127.0.0.1:{FreePorts.Take(1)[0]}"], "/teleport", logger, retry);

        var error = await Assert.ThrowsAsync<RpcException>(() => new EtcdClusterStateStore(database).ReadAsync("user", "alice", CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("etcd read failed transiently")));
        Assert.True(counters.Total("teleport.backend.retries") >= 2);
        Assert.True(counters.Total("teleport.backend.failures") >= 1);
    }
}
