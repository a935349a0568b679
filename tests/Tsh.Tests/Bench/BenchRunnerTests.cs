using System.Collections.Concurrent;
using System.Diagnostics;
using Teleport.Orleans.Cli.Tsh.Bench;

namespace Teleport.Orleans.Tsh.Tests.Bench;

public sealed class BenchRunnerTests
{
    private static string Describe(Exception ex) => ex.Message;

    [Fact]
    public async Task A_slow_session_does_not_delay_the_next_start()
    {
        // Twenty sessions over 200 ms, each taking a second: open-loop, all twenty are running before the first ends.
        var schedule = new BenchSchedule(100, TimeSpan.FromMilliseconds(200));
        var running = 0;
        var most = 0;
        var clock = Stopwatch.StartNew();

        var result = await new BenchRunner(schedule, concurrencyLimit: 0).RunAsync(
            async _ =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(TimeSpan.FromSeconds(1));
                Interlocked.Decrement(ref running);
            },
            Describe,
            CancellationToken.None);

        Assert.Equal(20, result.Originated);
        Assert.Equal(0, result.Failed);
        Assert.Equal(20, most);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(result.Percentiles().At(50) >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Failures_are_counted_by_reason_and_their_latency_is_recorded()
    {
        var schedule = new BenchSchedule(200, TimeSpan.FromMilliseconds(50));
        var calls = 0;

        var result = await new BenchRunner(schedule, concurrencyLimit: 0).RunAsync(
            _ => Interlocked.Increment(ref calls) % 3 == 0 ? throw new InvalidOperationException("The node refused.") : Task.CompletedTask,
            Describe,
            CancellationToken.None);

        Assert.Equal(10, result.Originated);
        Assert.Equal(3, result.Failed);
        Assert.Equal([new KeyValuePair<string, int>("The node refused.", 3)], result.Failures());
        Assert.Equal(10, result.Percentiles().Count);
    }

    [Fact]
    public async Task A_concurrency_limit_holds_sessions_back_and_counts_the_wait_in_their_latency()
    {
        var schedule = new BenchSchedule(1000, TimeSpan.FromMilliseconds(10));
        var running = 0;
        var most = 0;

        var result = await new BenchRunner(schedule, concurrencyLimit: 2).RunAsync(
            async _ =>
            {
                InterlockedMax(ref most, Interlocked.Increment(ref running));
                await Task.Delay(TimeSpan.FromMilliseconds(100));
                Interlocked.Decrement(ref running);
            },
            Describe,
            CancellationToken.None);

        Assert.Equal(10, result.Originated);
        Assert.Equal(2, most);
        // The last pair waited for four pairs before it: its latency is about half a second, not 100 ms.
        Assert.True(result.Percentiles().Max >= TimeSpan.FromMilliseconds(450), $"max {result.Percentiles().Max}");
    }

    [Fact]
    public async Task An_interrupted_run_stops_starting_and_reports_the_sessions_in_flight_as_interrupted()
    {
        var schedule = new BenchSchedule(10, TimeSpan.FromSeconds(60));
        using var interrupt = new CancellationTokenSource();
        var started = new ConcurrentQueue<int>();

        var run = new BenchRunner(schedule, concurrencyLimit: 0).RunAsync(
            async token =>
            {
                started.Enqueue(0);
                if (started.Count >= 3)
                {
                    await interrupt.CancelAsync();
                }

                await Task.Delay(Timeout.Infinite, token);
            },
            Describe,
            interrupt.Token);
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        // A starved runner starts every session already due at once, so a few more than three may have started before
        // the interrupt; what matters is that it stopped long before the 600 the schedule holds and reports each one.
        Assert.Equal(started.Count, result.Originated);
        Assert.InRange(result.Originated, 3, 100);
        Assert.Equal(result.Originated, result.Failed);
        Assert.Equal("interrupted before the session ended", Assert.Single(result.Failures()).Key);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
