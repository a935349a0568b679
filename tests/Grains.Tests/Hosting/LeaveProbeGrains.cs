namespace Teleport.Orleans.Grains.Tests.Hosting;

/// <summary>A grain whose calls take a while and run one at a time, so that calls queue on it.</summary>
public interface ISlowGrain : IGrainWithIntegerKey
{
    Task<string> Where();

    /// <summary>Takes <paramref name="duration"/>; returns the silo that ran it.</summary>
    Task<string> Work(TimeSpan duration);
}

/// <summary>Calls a slow grain from another silo, the way the login grain calls a user grain.</summary>
public interface ISlowCallerGrain : IGrainWithIntegerKey
{
    Task<string> Where();

    /// <summary>
    /// Sends <paramref name="count"/> calls, one every <paramref name="interval"/> without waiting for the previous ones;
    /// returns how each ended ("ok" or the exception's type and message).
    /// </summary>
    Task<string[]> CallMany(long slowKey, int count, TimeSpan duration, TimeSpan interval);
}

internal sealed class SlowGrain : Grain, ISlowGrain
{
    /// <summary>Completed when any slow grain starts its first piece of work (the cluster runs in the test's process).</summary>
    public static TaskCompletionSource WorkStarted { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Where() => Task.FromResult(this.GetGrainId().ToString() + "@" + RuntimeIdentity);

    public async Task<string> Work(TimeSpan duration)
    {
        WorkStarted.TrySetResult();
        await Task.Delay(duration);
        return RuntimeIdentity;
    }
}

internal sealed class SlowCallerGrain : Grain, ISlowCallerGrain
{
    public Task<string> Where() => Task.FromResult(RuntimeIdentity);

    public async Task<string[]> CallMany(long slowKey, int count, TimeSpan duration, TimeSpan interval)
    {
        var slow = GrainFactory.GetGrain<ISlowGrain>(slowKey);
        var calls = Enumerable.Range(0, count).Select(async i =>
        {
            try
            {
                await Task.Delay(interval * i);
                await slow.Work(duration);
                return "ok";
            }
            catch (Exception ex)
            {
                return ex.GetType().Name + ": " + ex.Message;
            }
        });
        return await Task.WhenAll(calls);
    }
}
