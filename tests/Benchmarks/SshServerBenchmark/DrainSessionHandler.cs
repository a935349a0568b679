using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Benchmarks.SshThroughput;

/// <summary>
/// Every exec command reads stdin to the end, like <c>cat &gt; /dev/null</c>, and exits 0, except <c>gc</c>, which
/// runs a full blocking garbage collection first so that a memory reading counts live objects only.
/// </summary>
internal sealed class DrainSessionHandler : ISshSessionHandler
{
    public ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>(command == "gc" ? CollectAsync : DrainAsync);

    private static async Task<int> DrainAsync(SshSessionStreams streams, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (await streams.Input.ReadAsync(buffer, cancellationToken) > 0)
        {
        }

        return 0;
    }

    private static Task<int> CollectAsync(SshSessionStreams streams, CancellationToken cancellationToken)
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return Task.FromResult(0);
    }
}
