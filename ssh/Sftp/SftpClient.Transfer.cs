namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>
/// Whole-file transfers with requests pipelined like OpenSSH's sftp (many reads or writes in flight), so the
/// throughput is set by the link, not by one round trip per chunk.
/// </summary>
public sealed partial class SftpClient
{
    /// <summary>Bytes per read or write request (OpenSSH's default).</summary>
    public const int ChunkSize = 32 * 1024;

    /// <summary>Requests in flight during a transfer (OpenSSH's default).</summary>
    public const int RequestsInFlight = 64;

    /// <summary>Copies the remote file <paramref name="path"/> into <paramref name="destination"/>; returns the bytes copied.</summary>
    public async Task<long> DownloadAsync(string path, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var handle = await OpenAsync(path, SftpOpenMode.Read, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return await DownloadAsync(handle, destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await CloseQuietlyAsync(handle).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> to the remote file <paramref name="path"/>, created or truncated with
    /// <paramref name="permissions"/> (POSIX bits) when it is new; returns the bytes copied.
    /// </summary>
    public async Task<long> UploadAsync(Stream source, string path, uint permissions = 0x1A4, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var handle = await OpenAsync(
            path, SftpOpenMode.Write | SftpOpenMode.Create | SftpOpenMode.Truncate, new SftpAttributes { Permissions = permissions }, cancellationToken)
            .ConfigureAwait(false);
        long copied;
        try
        {
            copied = await UploadAsync(source, handle, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseQuietlyAsync(handle).ConfigureAwait(false);
            throw;
        }

        // A server may report a failed write only when the file is closed: that error is the caller's.
        await CloseAsync(handle, cancellationToken).ConfigureAwait(false);
        return copied;
    }

    private async Task<long> DownloadAsync(SftpHandle handle, Stream destination, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<(long Offset, Task<SftpResponse> Answer)>();
        long next = 0;
        long written = 0;
        var ended = false;
        try
        {
            for (; inFlight.Count < RequestsInFlight; next += ChunkSize)
            {
                inFlight.Enqueue((next, SendReadAsync(handle, next, ChunkSize, cancellationToken)));
            }

            while (inFlight.Count > 0)
            {
                var (offset, answer) = inFlight.Dequeue();
                var data = ToData(await answer.ConfigureAwait(false), handle);
                if (ended || data.IsEmpty)
                {
                    // Past the end: the reads still in flight answer EOF too and are only drained.
                    ended = true;
                    continue;
                }

                await destination.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                written += data.Length;

                // A server may answer a read with less than asked for before the end (the draft allows it):
                // the rest of that chunk is fetched before anything after it is written.
                for (var position = offset + data.Length; position < offset + ChunkSize;)
                {
                    var rest = await ReadAsync(handle, position, (int)(offset + ChunkSize - position), cancellationToken).ConfigureAwait(false);
                    if (rest.IsEmpty)
                    {
                        ended = true;
                        break;
                    }

                    await destination.WriteAsync(rest, cancellationToken).ConfigureAwait(false);
                    written += rest.Length;
                    position += rest.Length;
                }

                if (!ended)
                {
                    inFlight.Enqueue((next, SendReadAsync(handle, next, ChunkSize, cancellationToken)));
                    next += ChunkSize;
                }
            }
        }
        finally
        {
            await DrainAsync(inFlight.Select(r => r.Answer)).ConfigureAwait(false);
        }

        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return written;
    }

    private async Task<long> UploadAsync(Stream source, SftpHandle handle, CancellationToken cancellationToken)
    {
        var inFlight = new Queue<Task<SftpResponse>>();
        long offset = 0;
        try
        {
            while (true)
            {
                var buffer = new byte[ChunkSize];
                var read = await source.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (inFlight.Count == RequestsInFlight)
                {
                    (await inFlight.Dequeue().ConfigureAwait(false)).Expect(SftpPacketType.Status, handle.Path);
                }

                inFlight.Enqueue(SendWriteAsync(handle, offset, buffer.AsMemory(0, read), cancellationToken));
                offset += read;
            }

            while (inFlight.Count > 0)
            {
                (await inFlight.Dequeue().ConfigureAwait(false)).Expect(SftpPacketType.Status, handle.Path);
            }
        }
        finally
        {
            await DrainAsync(inFlight).ConfigureAwait(false);
        }

        return offset;
    }

    /// <summary>Waits out requests abandoned by a failure, so none is left unobserved.</summary>
    private static async Task DrainAsync(IEnumerable<Task<SftpResponse>> answers)
    {
        foreach (var answer in answers.ToList())
        {
            try
            {
                await answer.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The transfer already failed for a reason reported to the caller.
            }
        }
    }

    private async Task CloseQuietlyAsync(SftpHandle handle)
    {
        try
        {
            await CloseAsync(handle, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A lost session closes its handles; the transfer's own outcome is what the caller needs.
        }
    }
}
