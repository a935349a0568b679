using System.Buffers.Binary;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The <c>none</c> cipher used until the first NEWKEYS.</summary>
internal sealed class PlainPacketCipher : PacketCipher
{
    public static readonly PlainPacketCipher Instance = new();

    public override int BlockSize => 8;

    public override int TagSize => 0;

    public override bool LengthOutsidePadding => false;

    public override uint ReadLength(uint sequence, Span<byte> head) => BinaryPrimitives.ReadUInt32BigEndian(head);

    public override void Encrypt(uint sequence, Span<byte> packet, Span<byte> tag)
    {
    }

    public override void Decrypt(uint sequence, Span<byte> packet, ReadOnlySpan<byte> tag)
    {
    }

    // Shared and stateless: never disposed.
    public override void Dispose()
    {
    }
}
