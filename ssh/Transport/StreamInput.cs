namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// Buffered reads from the connection stream. The version line and the first packets often arrive
/// in one segment, so both must be read through the same buffer.
/// </summary>
internal sealed class StreamInput(Stream stream)
{
    private const int InitialBufferSize = 4 * 1024;

    // Performance: once packets larger than the initial buffer arrive (bulk channel data, 32 KB per packet from
    // OpenSSH), reads go through a buffer this large, so that one socket read brings in up to four packets instead
    // of a packet taking two or three partial reads. Idle and interactive connections keep the small buffer.
    private const int BulkBufferSize = 128 * 1024;

    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;

    /// <summary>Total bytes taken from the stream so far (for rekey accounting).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Fills <paramref name="destination"/> completely; a stream that ends first is an <see cref="EndOfStreamException"/>.</summary>
    public async ValueTask ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var buffered = Math.Min(_end - _start, destination.Length);
        _buffer.AsMemory(_start, buffered).CopyTo(destination);
        _start += buffered;
        destination = destination[buffered..];
        BytesRead += buffered;

        // Anything still wanted here means the buffer is empty, so it can be swapped for a larger one.
        if (destination.Length >= _buffer.Length && _buffer.Length < BulkBufferSize)
        {
            _buffer = new byte[BulkBufferSize];
        }

        // Large reads go straight into the destination; small ones refill the buffer.
        while (destination.Length >= _buffer.Length)
        {
            var read = await stream.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("The peer closed the connection.");
            }

            destination = destination[read..];
            BytesRead += read;
        }

        while (destination.Length > 0)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
            var count = Math.Min(_end - _start, destination.Length);
            _buffer.AsMemory(_start, count).CopyTo(destination);
            _start += count;
            destination = destination[count..];
            BytesRead += count;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> bytes as they sit in the buffer, consumed, when all of them are buffered
    /// already (no read, no copy); false otherwise, with nothing consumed. The memory is valid until the next read.
    /// </summary>
    public bool TryTake(int count, out ReadOnlySpan<byte> taken)
    {
        if (_end - _start < count)
        {
            taken = default;
            return false;
        }

        taken = _buffer.AsSpan(_start, count);
        _start += count;
        BytesRead += count;
        return true;
    }

    /// <summary>
    /// Reads one line ending in LF (a preceding CR is dropped). Lines longer than
    /// <paramref name="maxLength"/> bytes including the terminator are refused.
    /// </summary>
    public async ValueTask<byte[]> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new List<byte>(64);
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var b = _buffer[_start++];
            BytesRead++;
            if (b == (byte)'\n')
            {
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return [.. line];
            }

            line.Add(b);
            if (line.Count + 1 > maxLength)
            {
                throw new SshProtocolException(SshDisconnectReason.ProtocolVersionNotSupported, $"Identification line longer than {maxLength} bytes.");
            }
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        if (_end == 0)
        {
            throw new EndOfStreamException("The peer closed the connection.");
        }
    }
}
