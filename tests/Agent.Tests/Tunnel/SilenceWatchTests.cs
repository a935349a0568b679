using System.Net.Sockets;
using Teleport.Orleans.Agent.Tunnel;

namespace Teleport.Orleans.Agent.Tests.Tunnel;

/// <summary>A node notices a hung proxy by the silence on its tunnel, not by TCP, and keeps a tunnel that still hears from it.</summary>
public sealed class SilenceWatchTests
{
    [Fact]
    public async Task A_tunnel_the_proxy_stopped_talking_on_is_closed_after_the_limit()
    {
        var (node, proxy) = await ConnectedPairAsync();
        using var _ = proxy;
        await using var watched = new SilenceWatch(node, TimeProvider.System);

        var closed = await watched.WatchAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(closed);
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(async () => await watched.ReadExactlyAsync(new byte[1]));
    }

    [Fact]
    public async Task A_tunnel_that_hears_from_the_proxy_stays_open()
    {
        var (node, proxy) = await ConnectedPairAsync();
        using var _ = proxy;
        await using var watched = new SilenceWatch(node, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchAsync(TimeSpan.FromSeconds(2), stop.Token);
        var buffer = new byte[16];

        for (var i = 0; i < 20; i++)
        {
            await proxy.SendAsync(new byte[] { 1 });
            await watched.ReadExactlyAsync(buffer.AsMemory(0, 1));
            await Task.Delay(50);
        }

        Assert.False(watch.IsCompleted);
        await stop.CancelAsync();
        Assert.False(await watch);
    }

    private static async Task<(NetworkStream Node, Socket Proxy)> ConnectedPairAsync()
    {
        var (node, proxy) = await LoopbackConnection.OpenAsync();
        return (new NetworkStream(node, ownsSocket: true), proxy);
    }
}
