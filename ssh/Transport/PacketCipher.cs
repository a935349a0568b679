namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// One direction of packet protection: encryption plus MAC or AEAD tag. Packets are processed in place
/// in a buffer laid out as <c>uint32 packet_length || padding_length || payload || padding</c>, followed
/// by <see cref="TagSize"/> bytes of MAC or tag.
/// </summary>
internal abstract class PacketCipher : IDisposable
{
    /// <summary>The padding multiple (at least 8).</summary>
    public abstract int BlockSize { get; }

    /// <summary>MAC or AEAD tag bytes after each packet.</summary>
    public abstract int TagSize { get; }

    /// <summary>
    /// True when packet_length is not part of the encrypted, padded region (AEAD and encrypt-then-MAC);
    /// the padding then aligns only what follows the length field.
    /// </summary>
    public abstract bool LengthOutsidePadding { get; }

    /// <summary>Bytes to read before the packet length can be known (a whole cipher block for CTR with plain MAC).</summary>
    public virtual int LengthFieldSize => 4;

    /// <summary>Returns packet_length from the first <see cref="LengthFieldSize"/> bytes, decrypting them in place if the mode needs to.</summary>
    public abstract uint ReadLength(uint sequence, Span<byte> head);

    /// <summary>Encrypts <paramref name="packet"/> (length field included) in place and writes the tag.</summary>
    public abstract void Encrypt(uint sequence, Span<byte> packet, Span<byte> tag);

    /// <summary>
    /// Authenticates and decrypts in place (the head already passed through <see cref="ReadLength"/>).
    /// A wrong tag is an <see cref="SshProtocolException"/> with <see cref="SshDisconnectReason.MacError"/>.
    /// </summary>
    public abstract void Decrypt(uint sequence, Span<byte> packet, ReadOnlySpan<byte> tag);

    /// <summary>
    /// <see cref="Decrypt(uint, Span{byte}, ReadOnlySpan{byte})"/> of a packet whose first <paramref name="head"/>
    /// bytes are in <paramref name="packet"/> and the rest still encrypted in <paramref name="rest"/> (another buffer):
    /// the result is the same decrypted packet. Ciphers that can decrypt from one buffer into another override this to
    /// save the copy.
    /// </summary>
    public virtual void Decrypt(uint sequence, Span<byte> packet, int head, ReadOnlySpan<byte> rest, ReadOnlySpan<byte> tag)
    {
        rest.CopyTo(packet[head..]);
        Decrypt(sequence, packet, tag);
    }

    public virtual void Dispose()
    {
    }

    private protected static SshProtocolException MacError() =>
        new(SshDisconnectReason.MacError, "Packet authentication failed (corrupt MAC or tag).");
}
