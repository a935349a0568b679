namespace Teleport.Orleans.Integration.Tests.Support;

internal static class FreePorts
{
    /// <summary>Free loopback ports outside the ephemeral range (see the test servers' FreePorts).</summary>
    public static int[] Take(int count) => global::Teleport.Orleans.TestServers.FreePorts.Take(count);
}
