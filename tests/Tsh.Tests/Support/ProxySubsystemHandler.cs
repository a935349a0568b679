using System.Collections.Concurrent;
using System.Net.Sockets;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>The stand-in proxy's sessions: only the <c>proxy:host:port@cluster</c> subsystem, spliced to the node's sshd.</summary>
internal sealed class ProxySubsystemHandler(int nodePort, string cluster, ConcurrentQueue<string> requests) : ISshSessionHandler
{
    private static readonly string[] KnownNodes = ["localhost", "web", "db"];

    public ValueTask<SshProgram?> SubsystemAsync(string name, CancellationToken cancellationToken)
    {
        requests.Enqueue(name);
        // Every listed node is the same sshd.
        var known = KnownNodes.Any(node => name.StartsWith($"proxy:{node}:", StringComparison.Ordinal)) && name.EndsWith("@" + cluster, StringComparison.Ordinal);
        return ValueTask.FromResult<SshProgram?>(known ? SpliceAsync : null);
    }

    private async Task<int> SpliceAsync(SshSessionStreams streams, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", nodePort, cancellationToken);
        var network = tcp.GetStream();
        var upstream = Task.Run(
            async () =>
            {
                try
                {
                    await streams.Input.CopyToAsync(network, cancellationToken);
                    tcp.Client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
                {
                    // The node closed first.
                }
            },
            CancellationToken.None);
        try
        {
            await network.CopyToAsync(streams.Output, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away.
        }

        _ = upstream;
        return 0;
    }
}
