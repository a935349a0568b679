using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Storage;
using Teleport.Orleans.Backends.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

/// <summary>Transient failures against a real server: retried with backoff, logged, counted, and thrown in the end.</summary>
public sealed class PostgresRetryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_unreachable_server_is_retried_logged_and_counted_then_the_error_is_thrown()
    {
        using var counters = new CounterRecorder(PostgresDatabase.BackendName);
        var logger = new ListLogger();
        var port = FreePorts.Take(1)[0];
        var retry = new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        await using var database = new PostgresDatabase($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2", logger, retry);

        var error = await Assert.ThrowsAsync<NpgsqlException>(() => new PostgresClusterStateStore(database).ReadAsync("user", "alice", None));

        Assert.True(error.IsTransient);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("postgresql read failed transiently")));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("postgresql read failed after 3 attempts"));
        Assert.True(counters.Total("teleport.backend.retries") >= 2);
        Assert.True(counters.Total("teleport.backend.failures") >= 1);
    }

    [Fact]
    public async Task A_write_while_the_server_restarts_succeeds_after_retries()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        try
        {
            var schema = await server.CreateSchemaAsync();
            var logger = new ListLogger();
            var retry = new RetryOptions { MaxAttempts = 30, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) };
            await using var database = new PostgresDatabase(server.ConnectionString(schema), logger, retry);
            var store = new PostgresClusterStateStore(database);
            await store.InitializeAsync(None);
            var etag = await store.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("before"), null, None);

            await server.StopAsync();
            var write = store.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("after"), etag, None);
            await WaitUntil(() => logger.Entries.Any(e => e.Level == LogLevel.Warning));
            await server.StartAsync();
            await write;

            Assert.Equal("after", Encoding.UTF8.GetString((await store.ReadAsync("user", "alice", None))!.Data));
            Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("postgresql write failed transiently"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task After_the_server_restarts_under_running_writers_writes_succeed_again_and_no_acknowledged_write_is_lost()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        try
        {
            var schema = await server.CreateSchemaAsync();
            // Teleport issue #67488: after the primary changes, every pooled connection is dead. The default retry
            // policy must carry the writers over it, in this process, without a restart.
            await using var database = new PostgresDatabase(server.ConnectionString(schema), new ListLogger());
            var store = new PostgresClusterStateStore(database);
            await store.InitializeAsync(None);
            var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var afterRestart = 0;
            var restarted = false;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        await store.WriteAsync("user", $"w{w}-{i}", Encoding.UTF8.GetBytes("v"), null, None);
                        acknowledged.Enqueue($"w{w}-{i}");
                        if (Volatile.Read(ref restarted))
                        {
                            Interlocked.Increment(ref afterRestart);
                        }
                    }
                    catch (NpgsqlException)
                    {
                        // Not acknowledged: the server was down for longer than the retries; nothing is claimed.
                    }
                }
            })).ToList();
            await WaitUntil(() => acknowledged.Count >= 50);

            await server.StopAsync();
            await server.StartAsync();
            Volatile.Write(ref restarted, true);
            await WaitUntil(() => Volatile.Read(ref afterRestart) >= 50);
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            foreach (var name in acknowledged)
            {
                Assert.NotNull(await store.ReadAsync("user", name, None));
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_primary_turned_read_only_under_a_pool_is_retried_until_writes_are_accepted_again()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        try
        {
            var schema = await server.CreateSchemaAsync();
            var logger = new ListLogger();
            var retry = new RetryOptions { MaxAttempts = 200, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) };
            await using var database = new PostgresDatabase(server.ConnectionString(schema), logger, retry);
            var store = new PostgresClusterStateStore(database);
            await store.InitializeAsync(None);
            await store.WriteAsync("user", "before", Encoding.UTF8.GetBytes("v"), null, None);

            // What a demoted primary answers on the connections still pooled to it: 25006, read-only transaction.
            await server.ExecuteAsync("ALTER SYSTEM SET default_transaction_read_only = on");
            await server.ExecuteAsync("SELECT pg_reload_conf()");
            // The reload reaches each pooled connection at its next command, so a write may still go through: write
            // again until one is refused and retried.
            bool Refused() => logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("postgresql write failed transiently"));
            var name = "";
            Task write = Task.CompletedTask;
            for (var i = 0; !Refused(); i++)
            {
                name = $"during{i}";
                var attempt = store.WriteAsync("user", name, Encoding.UTF8.GetBytes("v"), null, None);
                write = attempt;
                await WaitUntil(() => attempt.IsCompleted || Refused());
            }

            await server.ExecuteAsync("ALTER SYSTEM RESET default_transaction_read_only");
            await server.ExecuteAsync("SELECT pg_reload_conf()");
            await write;

            Assert.NotNull(await store.ReadAsync("user", name, None));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "condition not met in 30 s");
            await Task.Delay(20);
        }
    }
}
