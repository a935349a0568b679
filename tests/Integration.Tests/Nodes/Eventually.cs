namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>Waits on a condition (polled), never on a fixed sleep; fails with what it waited for.</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what) =>
        await Until(() => Task.FromResult(condition()), timeout, what);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0}s waiting for {what}");
            }

            await Task.Delay(50);
        }
    }
}
