using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>Frames payloads as binary packets (RFC 4253 §6): random padding to the block size, encryption, MAC.</summary>
internal sealed class PacketWriter
{
    // Grows to the largest packet written (see PacketReader: most connections never send a large one).
    private byte[] _buffer = new byte[2 * 1024];

    public PacketCipher Cipher { get; set; } = PlainPacketCipher.Instance;

    /// <summary>Sequence number of the next packet (uint32, wraps).</summary>
    public uint Sequence { get; set; }

    public long BytesWritten { get; private set; }

    public long PacketsWritten { get; private set; }

    /// <summary>The encrypted packet; the memory is reused by the next call.</summary>
    public ReadOnlyMemory<byte> Frame(ReadOnlySpan<byte> payload) => Frame(payload, []);

    /// <summary>The encrypted packet of the payload <paramref name="head"/> followed by <paramref name="body"/>; the memory is reused by the next call.</summary>
    public ReadOnlyMemory<byte> Frame(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        var payloadLength = head.Length + body.Length;
        var cipher = Cipher;
        var block = cipher.BlockSize;
        var aligned = (cipher.LengthOutsidePadding ? 1 : 5) + payloadLength;
        var padding = block - (aligned % block);
        if (padding < 4)
        {
            padding += block;
        }

        var length = 1 + payloadLength + padding;
        var total = 4 + length + cipher.TagSize;
        if (_buffer.Length < total)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(total, Math.Min(_buffer.Length * 2, 64 * 1024)));
        }

        var packet = _buffer.AsSpan(0, 4 + length);
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)length);
        packet[4] = (byte)padding;
        head.CopyTo(packet[5..]);
        body.CopyTo(packet[(5 + head.Length)..]);
        RandomNumberGenerator.Fill(packet[(5 + payloadLength)..]);
        cipher.Encrypt(Sequence, packet, _buffer.AsSpan(4 + length, cipher.TagSize));
        Sequence++;
        PacketsWritten++;
        BytesWritten += total;
        return _buffer.AsMemory(0, total);
    }
}
