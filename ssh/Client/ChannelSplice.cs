using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// Copies a channel and a local stream both ways until both directions end: each side's end of input is passed on
/// as a half-close (channel EOF, socket shutdown), and a failure on either side ends both. Owns and disposes both.
/// </summary>
internal static class ChannelSplice
{
    public static async Task RunAsync(SshChannelStream channel, Stream local)
    {
        await using (channel.ConfigureAwait(false))
        await using (local.ConfigureAwait(false))
        {
            using var failed = new CancellationTokenSource();
            var upstream = CopyAsync(local, channel, channel.ShutdownWriteAsync, failed);
            var downstream = CopyAsync(channel, local, () => StreamHalfClose.ShutdownWriteAsync(local), failed);
            await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Func<Task> endOfInput, CancellationTokenSource failed)
    {
        try
        {
            await from.CopyToAsync(to, failed.Token).ConfigureAwait(false);
            await endOfInput().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SshConnectionException
            or System.Net.Sockets.SocketException)
        {
            // One side went away: the other direction has nothing left to carry.
            await failed.CancelAsync().ConfigureAwait(false);
        }
    }
}
