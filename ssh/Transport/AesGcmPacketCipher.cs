using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// <c>aes128-gcm@openssh.com</c> / <c>aes256-gcm@openssh.com</c> (RFC 5647 as OpenSSH does it): the length
/// is clear but authenticated as AAD; the 12-byte nonce is a fixed 4-byte field and a 64-bit invocation
/// counter incremented per packet.
/// </summary>
internal sealed class AesGcmPacketCipher : PacketCipher
{
    private const int Tag = 16;
    private readonly AesGcm _aes;
    private readonly byte[] _nonce = new byte[12];

    public AesGcmPacketCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        _aes = new AesGcm(key, Tag);
        iv[..12].CopyTo(_nonce);
    }

    public override int BlockSize => 16;

    public override int TagSize => Tag;

    public override bool LengthOutsidePadding => true;

    public override uint ReadLength(uint sequence, Span<byte> head) => BinaryPrimitives.ReadUInt32BigEndian(head);

    public override void Encrypt(uint sequence, Span<byte> packet, Span<byte> tag)
    {
        _aes.Encrypt(_nonce, packet[4..], packet[4..], tag, packet[..4]);
        IncrementCounter();
    }

    public override void Decrypt(uint sequence, Span<byte> packet, ReadOnlySpan<byte> tag)
    {
        try
        {
            _aes.Decrypt(_nonce, packet[4..], tag, packet[4..], packet[..4]);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw MacError();
        }

        IncrementCounter();
    }

    public override void Decrypt(uint sequence, Span<byte> packet, int head, ReadOnlySpan<byte> rest, ReadOnlySpan<byte> tag)
    {
        // The head is the clear length field (the AAD); the ciphertext after it decrypts straight into the packet.
        try
        {
            _aes.Decrypt(_nonce, rest, tag, packet[head..], packet[..head]);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw MacError();
        }

        IncrementCounter();
    }

    public override void Dispose() => _aes.Dispose();

    private void IncrementCounter()
    {
        var counter = _nonce.AsSpan(4);
        BinaryPrimitives.WriteUInt64BigEndian(counter, BinaryPrimitives.ReadUInt64BigEndian(counter) + 1);
    }
}
