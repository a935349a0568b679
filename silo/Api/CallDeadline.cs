using Grpc.Core;

namespace Teleport.Orleans.Silo.Api;

/// <summary>
/// A unary call that cannot finish before the caller's deadline is answered <see cref="StatusCode.Unavailable"/>
/// shortly before it, with a sentence, instead of leaving the caller a bare DeadlineExceeded. In a backend outage the
/// calls for one grain wait in turn behind its storage retries (each series about 3 s), so a caller would otherwise
/// learn nothing but that time ran out. The call itself runs on; what it did stands, as with any timed-out call.
/// </summary>
internal static class CallDeadline
{
    /// <summary>
    /// The answer goes out when a quarter of the call's time is left (between 0.5 s and 3 s before the deadline): the
    /// server learns the deadline only as a timeout relative to when it read the request, and a busy server wakes late.
    /// </summary>
    private static TimeSpan Margin(TimeSpan total) =>
        TimeSpan.FromTicks(Math.Clamp(total.Ticks / 4, TimeSpan.FromMilliseconds(500).Ticks, TimeSpan.FromSeconds(3).Ticks));

    /// <summary>Deadlines further away than this are not watched (streams, long waits): a timer per call is not free.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(5);

    public const string Message =
        "the auth service could not finish this request before its deadline (its cluster state backend may be unavailable or slow); try again in a few seconds";

    /// <summary>The call's result, or <see cref="RpcException"/> Unavailable when the deadline is about to pass first.</summary>
    public static async Task<T> AnswerInTimeAsync<T>(Task<T> call, DateTime deadline, TimeProvider time)
    {
        // No deadline (DateTime.MaxValue) or a far one: nothing to answer before.
        var total = deadline == DateTime.MaxValue ? TimeSpan.MaxValue : deadline.ToUniversalTime() - time.GetUtcNow().UtcDateTime;
        var left = total >= Longest ? TimeSpan.Zero : total - Margin(total);
        if (left <= TimeSpan.Zero || call.IsCompleted)
        {
            return await call.ConfigureAwait(false);
        }

        using var stopTimer = new CancellationTokenSource();
        var first = await Task.WhenAny(call, Task.Delay(left, time, stopTimer.Token)).ConfigureAwait(false);
        if (first == call)
        {
            await stopTimer.CancelAsync().ConfigureAwait(false);
            return await call.ConfigureAwait(false);
        }

        // Its failure, if it fails later, has no one to go to.
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        throw new RpcException(new Status(StatusCode.Unavailable, Message));
    }
}
