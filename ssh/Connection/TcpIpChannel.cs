using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// A "direct-tcpip" or "forwarded-tcpip" channel (RFC 4254 §7): splices the channel and a stream both ways.
/// Nothing is buffered beyond one packet per direction: the client's data waits in our receive window until the
/// stream takes it, and the stream is not read while the client's window is exhausted. EOF travels each way
/// (to a socket as a send shutdown); CLOSE follows once both directions are done or either fails.
/// </summary>
internal sealed partial class TcpIpChannel(
    SshTransport transport, uint localId, uint remoteId, uint remoteWindow, uint remoteMaxPacket,
    Action<ConnectionChannel> onClosed, ILogger logger)
    : ConnectionChannel(transport, localId, remoteId, remoteWindow, remoteMaxPacket, onClosed, logger)
{
    /// <summary>How long what the client sent before its CLOSE may take to reach a slow stream.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Stream? _target;

    /// <summary>Ends when the channel's splice is over (both CLOSEs may still be in flight).</summary>
    public Task Completion => Work ?? Task.CompletedTask;

    /// <summary>
    /// Takes ownership of <paramref name="target"/> and starts copying; <paramref name="confirm"/> (for a channel
    /// the client opened) sends the open confirmation first, so no data can precede it.
    /// </summary>
    public void Start(Stream target, Func<ValueTask>? confirm = null)
    {
        _target = target;
        Work = Task.Run(async () =>
        {
            try
            {
                if (confirm is not null)
                {
                    if (CloseReceived)
                    {
                        throw new IOException("The connection ended before the channel was confirmed.");
                    }

                    await confirm().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                await target.DisposeAsync().ConfigureAwait(false);
                return;
            }

            await SpliceAsync(target).ConfigureAwait(false);
        });
    }

    /// <summary>Stops copying and closes the channel (the owner of a forwarded connection gave up on it).</summary>
    public void Stop() => _stop.Cancel();

    protected override async ValueTask ReleaseAsync()
    {
        if (_target is { } target)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task SpliceAsync(Stream target)
    {
        // Either direction failing, or Stop, ends both; a stream that ignores cancellation ends its pending
        // reads and writes when disposed.
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using var disposeOnAbort = abort.Token.Register(() => target.Dispose());
        // The client's CLOSE ends the download at once (nothing may be sent), but what the client sent before it
        // is still delivered, as OpenSSH drains a channel's output: the upload reads on to the end of the input.
        using var download = CancellationTokenSource.CreateLinkedTokenSource(abort.Token, Cancellation);
        using var drainDeadline = Cancellation.Register(() => abort.CancelAfter(DrainTimeout));
        await Task.WhenAll(UploadAsync(target, abort), DownloadAsync(target, download.Token, abort)).ConfigureAwait(false);

        try
        {
            await SendCloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is going away; there is nobody left to tell.
        }
    }

    /// <summary>Client to stream, until the client's EOF or CLOSE.</summary>
    private async Task UploadAsync(Stream target, CancellationTokenSource abort)
    {
        var buffer = new byte[ConnectionService.MaxPacketSize];
        // Performance: while this loop waits for data, the connection's reader writes it to the target itself (no
        // thread switch or copy per packet); the stream's asynchronous write never blocks that reader.
        Input.DirectWrite = data => target.WriteAsync(data, abort.Token);
        try
        {
            int read;
            while ((read = await Input.ReadAsync(buffer, abort.Token).ConfigureAwait(false)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), abort.Token).ConfigureAwait(false);
            }

            await target.FlushAsync(abort.Token).ConfigureAwait(false);
            await StreamHalfClose.ShutdownWriteAsync(target).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogSpliceEnded(Logger, LocalId, "client to target", ex.Message);
            await abort.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            Input.DirectWrite = null;
        }
    }

    /// <summary>Stream to client, until the stream's end or the client's CLOSE.</summary>
    private async Task DownloadAsync(Stream target, CancellationToken cancellationToken, CancellationTokenSource abort)
    {
        var buffer = new byte[ConnectionService.MaxPacketSize];
        try
        {
            int read;
            while ((read = await target.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await SendDataAsync(buffer.AsMemory(0, read), isError: false, cancellationToken).ConfigureAwait(false);
            }

            await SendEofAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (CloseReceived && !abort.IsCancellationRequested)
        {
            // The client closed the channel: nothing more can go to it, but the upload may still be draining.
            LogSpliceEnded(Logger, LocalId, "target to client", ex.Message);
        }
        catch (Exception ex)
        {
            LogSpliceEnded(Logger, LocalId, "target to client", ex.Message);
            await abort.CancelAsync().ConfigureAwait(false);
        }
    }
}
