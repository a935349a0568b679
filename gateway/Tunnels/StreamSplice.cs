using System.Net.Sockets;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Copies two connections into each other until both directions end. When one side finishes sending, the other
/// is half-closed the way its transport allows (TCP FIN, TLS close_notify, SSH channel EOF), so protocols that
/// finish with a half-close still complete; when one side fails, both end.
/// </summary>
internal static class StreamSplice
{
    /// <summary>How long the second direction may keep going after the first ended before both are cut.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Stream a, Stream b, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = Copy(a, b, done.Token);
        var down = Copy(b, a, done.Token);
        await Task.WhenAny(up, down);
        await Task.WhenAny(Task.WhenAll(up, down), Task.Delay(Linger, CancellationToken.None));
        await done.CancelAsync();
        await Task.WhenAll(up, down);
    }

    private static async Task Copy(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            // Each write is awaited before the next read: that is the back-pressure.
            await from.CopyToAsync(to, 64 * 1024, cancellationToken);
            await StreamHalfClose.ShutdownWriteAsync(to);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection ended on one side.
        }
    }
}
