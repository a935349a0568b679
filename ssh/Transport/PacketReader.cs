namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// Reads binary packets (RFC 4253 §6): length, padding and MAC checks, sequence numbers.
/// Every malformation is an <see cref="SshProtocolException"/>; nothing is trusted before the MAC is checked
/// except the length, which is bounded first.
/// </summary>
internal sealed class PacketReader(StreamInput input)
{
    /// <summary>Largest packet_length accepted, OpenSSH's PACKET_MAX_SIZE.</summary>
    public const int MaxPacketLength = 256 * 1024;

    private const int MaxTagSize = 64;

    // Smaller payloads are cheap to allocate; only bulk data's arrays are worth keeping.
    private const int MinRecycledLength = 1024;

    // Performance: starts small and grows to the largest packet seen. A connection that only ever carries small
    // packets (an idle reverse tunnel, a short exec session) then never allocates the 256 KiB a maximal packet needs,
    // which was a large-object-heap allocation per connection: 2.5 GiB of address space at 10,000 tunnels, and
    // gen2 collections at hundreds of new sessions per second.
    private const int InitialBufferSize = 4 * 1024;

    private byte[] _buffer = new byte[InitialBufferSize];

    // Performance: a payload array given back by the layers above (see Recycle), reused for the next payload of the
    // same size. Bulk channel data comes in packets of one size, so a relay allocates no array per packet (which cost
    // a tenth of its CPU in allocations and gen0 collections).
    private byte[]? _spare;

    public PacketCipher Cipher { get; set; } = PlainPacketCipher.Instance;

    /// <summary>Sequence number of the next packet (uint32, wraps).</summary>
    public uint Sequence { get; set; }

    /// <summary>Sequence number of the packet most recently returned (for SSH_MSG_UNIMPLEMENTED).</summary>
    public uint LastSequence { get; private set; }

    public long PacketsRead { get; private set; }

    public long BytesRead => input.BytesRead;

    /// <summary>Reads, authenticates and decrypts one packet and returns a copy of its payload.</summary>
    public async ValueTask<byte[]> ReadAsync(CancellationToken cancellationToken)
    {
        var cipher = Cipher;
        var head = cipher.LengthFieldSize;
        await input.ReadExactlyAsync(_buffer.AsMemory(0, head), cancellationToken).ConfigureAwait(false);
        var length = cipher.ReadLength(Sequence, _buffer.AsSpan(0, head));
        if (length < 5 || length > MaxPacketLength)
        {
            throw SshProtocolException.Protocol($"Bad packet length {length}.");
        }

        var total = 4 + (int)length;
        var aligned = cipher.LengthOutsidePadding ? (int)length : total;
        if (aligned % cipher.BlockSize != 0 || total < head)
        {
            throw SshProtocolException.Protocol($"Packet length {length} is not a multiple of the cipher block size {cipher.BlockSize}.");
        }

        EnsureCapacity(total + cipher.TagSize, head);

        if (!DecryptBuffered(cipher, head, total))
        {
            await input.ReadExactlyAsync(_buffer.AsMemory(head, total - head + cipher.TagSize), cancellationToken).ConfigureAwait(false);
            cipher.Decrypt(Sequence, _buffer.AsSpan(0, total), _buffer.AsSpan(total, cipher.TagSize));
        }

        int padding = _buffer[4];
        var payloadLength = (int)length - 1 - padding;
        if (padding < 4 || payloadLength < 1)
        {
            throw SshProtocolException.Protocol($"Bad padding length {padding} in a packet of length {length}.");
        }

        LastSequence = Sequence;
        Sequence++;
        PacketsRead++;
        // Performance: the copy overwrites every byte, so skip the zeroing that ToArray's allocation does
        // (measurable with 32 KB channel data packets).
        byte[] payload;
        if (_spare is { } spare && spare.Length == payloadLength)
        {
            payload = spare;
            _spare = null;
        }
        else
        {
            payload = GC.AllocateUninitializedArray<byte>(payloadLength);
        }

        _buffer.AsSpan(5, payloadLength).CopyTo(payload);
        return payload;
    }

    /// <summary>
    /// Takes back a payload this reader returned that nobody uses any more; the next payload of its size is read into
    /// it. Only the reader's own caller may give it back, between two reads.
    /// </summary>
    public void Recycle(byte[] payload)
    {
        if (payload.Length >= MinRecycledLength)
        {
            _spare = payload;
        }
    }

    /// <summary>Grows the buffer (keeping its first <paramref name="keep"/> bytes) so that it holds <paramref name="needed"/>.</summary>
    private void EnsureCapacity(int needed, int keep)
    {
        if (_buffer.Length >= needed)
        {
            return;
        }

        var grown = GC.AllocateUninitializedArray<byte>(Math.Max(needed, Math.Min(_buffer.Length * 2, 4 + MaxPacketLength + MaxTagSize)));
        _buffer.AsSpan(0, keep).CopyTo(grown);
        _buffer = grown;
    }

    /// <summary>
    /// Performance: when the rest of the packet is in the input's buffer already (most packets of bulk data, which
    /// arrive several to a read), it is decrypted from there instead of being copied here first.
    /// </summary>
    private bool DecryptBuffered(PacketCipher cipher, int head, int total)
    {
        var rest = total - head;
        if (!input.TryTake(rest + cipher.TagSize, out var encrypted))
        {
            return false;
        }

        cipher.Decrypt(Sequence, _buffer.AsSpan(0, total), head, encrypted[..rest], encrypted[rest..]);
        return true;
    }
}
