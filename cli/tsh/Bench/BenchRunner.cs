namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// Runs a workload open-loop: each session starts when <see cref="BenchSchedule"/> says it is due, whether or not the
/// earlier ones have finished, and its latency counts from when it was due (a late start is the system's delay, not
/// hidden from the figures). With a concurrency limit a due session waits for a free slot, its wait included.
/// </summary>
internal sealed class BenchRunner(BenchSchedule schedule, int concurrencyLimit, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs every scheduled session of <paramref name="workload"/> and waits for all to end.</summary>
    public async Task<BenchResult> RunAsync(Func<CancellationToken, Task> workload, Func<Exception, string> describe, CancellationToken cancellationToken)
    {
        var result = new BenchResult();
        using var slots = concurrencyLimit > 0 ? new SemaphoreSlim(concurrencyLimit) : null;
        var sessions = new List<Task>(schedule.Count);
        var start = _time.GetTimestamp();
        var started = 0;
        try
        {
            while (started < schedule.Count)
            {
                var due = schedule.DueBy(_time.GetElapsedTime(start));
                for (; started < due; started++)
                {
                    var dueAt = schedule.StartOf(started);
                    result.Started(dueAt, _time.GetElapsedTime(start));
                    sessions.Add(Task.Run(() => RunOneAsync(workload, describe, slots, start, dueAt, result, cancellationToken), CancellationToken.None));
                }

                if (started < schedule.Count)
                {
                    var wait = schedule.StartOf(started) - _time.GetElapsedTime(start);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, _time, cancellationToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: the sessions already started are still awaited (they end as cancelled).
        }

        await Task.WhenAll(sessions);
        result.Elapsed = _time.GetElapsedTime(start);
        return result;
    }

    private async Task RunOneAsync(
        Func<CancellationToken, Task> workload, Func<Exception, string> describe, SemaphoreSlim? slots, long start, TimeSpan dueAt, BenchResult result,
        CancellationToken cancellationToken)
    {
        var acquired = false;
        try
        {
            if (slots is not null)
            {
                await slots.WaitAsync(cancellationToken);
                acquired = true;
            }

            await workload(cancellationToken);
            result.Succeeded(_time.GetElapsedTime(start) - dueAt);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var reason = ex is OperationCanceledException && cancellationToken.IsCancellationRequested ? "interrupted before the session ended" : describe(ex);
            result.FailedWith(_time.GetElapsedTime(start) - dueAt, reason);
        }
        finally
        {
            if (acquired)
            {
                slots!.Release();
            }
        }
    }
}
