namespace Teleport.Orleans.TestSupport;

/// <summary>Waits on a condition another thread or process makes true (polled), never on a fixed sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Fails with a <see cref="TimeoutException"/> when <paramref name="condition"/> is still false after the timeout.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        Until(condition, timeout ?? DefaultTimeout, "the condition to become true");

    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what) =>
        await Until(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Fails with what it waited for (<paramref name="what"/>) when the condition is still false after the timeout.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0}s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
