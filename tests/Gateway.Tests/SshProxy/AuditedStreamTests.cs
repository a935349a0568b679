using System.Net.Sockets;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.TestSupport;

namespace Teleport.Orleans.Gateway.Tests.SshProxy;

/// <summary>The proxy's connection to a node: its session start is written alongside the traffic, never skipped.</summary>
public sealed class AuditedStreamTests
{
    [Fact]
    public async Task Connection_whose_session_start_cannot_be_audited_is_closed()
    {
        var (proxySide, nodeSide) = await ConnectedPair();
        using var node = nodeSide;
        var start = new TaskCompletionSource();
        Exception? unaudited = null;
        var ended = new TaskCompletionSource();
        await using var audited = new AuditedStream(proxySide, start.Task, (_, _) => { ended.TrySetResult(); return Task.CompletedTask; }, ex => unaudited = ex);
        var pendingRead = audited.ReadAsync(new byte[16]).AsTask();

        start.SetException(new InvalidOperationException("audit log unavailable"));

        Assert.Equal(0, await ReadEnded(pendingRead));
        Assert.Equal("audit log unavailable", unaudited?.Message);
        Assert.Equal(0, await node.ReceiveAsync(new byte[16]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => audited.WriteAsync(new byte[4]).AsTask());
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Client_eof_half_closes_towards_the_node_and_the_node_can_still_answer()
    {
        var (proxySide, nodeSide) = await ConnectedPair();
        using var node = nodeSide;
        await using var audited = new AuditedStream(proxySide, Task.CompletedTask, (_, _) => Task.CompletedTask, _ => { });
        await audited.WriteAsync("last"u8.ToArray());

        await audited.ShutdownWriteAsync();

        var received = new byte[16];
        Assert.Equal(4, await node.ReceiveAsync(received));
        Assert.Equal(0, await node.ReceiveAsync(received));
        await node.SendAsync("answer"u8.ToArray());
        var answer = new byte[16];
        Assert.Equal(6, await audited.ReadAsync(answer));
    }

    [Fact]
    public async Task Session_end_is_reported_only_after_its_start_was_written()
    {
        var (proxySide, nodeSide) = await ConnectedPair();
        using var node = nodeSide;
        var start = new TaskCompletionSource();
        var ended = false;
        var audited = new AuditedStream(proxySide, start.Task, (_, _) => { ended = true; return Task.CompletedTask; }, _ => { });

        var closing = audited.DisposeAsync().AsTask();

        Assert.False(closing.IsCompleted);
        Assert.False(ended);
        start.SetResult();
        await closing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(ended);
    }

    [Fact]
    public async Task Bytes_each_way_are_reported_once_when_the_connection_closes()
    {
        var (proxySide, nodeSide) = await ConnectedPair();
        using var node = nodeSide;
        var reports = new List<(long Sent, long Received)>();
        var audited = new AuditedStream(proxySide, Task.CompletedTask, (sent, received) => { reports.Add((sent, received)); return Task.CompletedTask; }, _ => { });
        await audited.WriteAsync("hello"u8.ToArray());
        await node.SendAsync("abc"u8.ToArray());
        var buffer = new byte[3];
        await audited.ReadExactlyAsync(buffer);

        await audited.DisposeAsync();
        await audited.DisposeAsync();

        Assert.Equal([(5L, 3L)], reports);
    }

    /// <summary>A read cut off by closing the connection: 0 bytes, or the socket's complaint about being closed.</summary>
    private static async Task<int> ReadEnded(Task<int> read)
    {
        try
        {
            return await read.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<(NetworkStream Proxy, Socket Node)> ConnectedPair()
    {
        var (proxy, node) = await LoopbackConnection.OpenAsync();
        return (new NetworkStream(proxy, ownsSocket: true), node);
    }
}
