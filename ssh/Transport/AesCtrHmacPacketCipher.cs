using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// <c>aes128-ctr</c>/<c>aes256-ctr</c> with an HMAC-SHA2. Encrypt-and-MAC (RFC 4253 §6.4) MACs the plaintext
/// packet including its encrypted length; encrypt-then-MAC (<c>-etm@openssh.com</c>) leaves the length in
/// clear and MACs the ciphertext, so the MAC is checked before anything is decrypted.
/// </summary>
internal sealed class AesCtrHmacPacketCipher : PacketCipher
{
    private readonly AesCtr _ctr;
    private readonly IncrementalHash _hmac;
    private readonly int _macSize;
    private readonly bool _encryptThenMac;

    public AesCtrHmacPacketCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, MacAlgorithm mac, ReadOnlySpan<byte> macKey)
    {
        _ctr = new AesCtr(key, iv);
        _hmac = IncrementalHash.CreateHMAC(mac.Hash, macKey);
        _macSize = mac.OutputSize;
        _encryptThenMac = mac.EncryptThenMac;
    }

    public override int BlockSize => 16;

    public override int TagSize => _macSize;

    public override bool LengthOutsidePadding => _encryptThenMac;

    public override int LengthFieldSize => _encryptThenMac ? 4 : 16;

    public override uint ReadLength(uint sequence, Span<byte> head)
    {
        if (!_encryptThenMac)
        {
            _ctr.Transform(head[..16]);
        }

        return BinaryPrimitives.ReadUInt32BigEndian(head);
    }

    public override void Encrypt(uint sequence, Span<byte> packet, Span<byte> tag)
    {
        if (_encryptThenMac)
        {
            _ctr.Transform(packet[4..]);
            ComputeMac(sequence, packet, tag);
        }
        else
        {
            ComputeMac(sequence, packet, tag);
            _ctr.Transform(packet);
        }
    }

    public override void Decrypt(uint sequence, Span<byte> packet, ReadOnlySpan<byte> tag)
    {
        if (_encryptThenMac)
        {
            VerifyMac(sequence, packet, tag);
            _ctr.Transform(packet[4..]);
        }
        else
        {
            _ctr.Transform(packet[16..]);
            VerifyMac(sequence, packet, tag);
        }
    }

    public override void Dispose()
    {
        _ctr.Dispose();
        _hmac.Dispose();
    }

    private void VerifyMac(uint sequence, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> tag)
    {
        Span<byte> expected = stackalloc byte[_macSize];
        ComputeMac(sequence, packet, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
        {
            throw MacError();
        }
    }

    private void ComputeMac(uint sequence, ReadOnlySpan<byte> packet, Span<byte> mac)
    {
        Span<byte> seq = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(seq, sequence);
        _hmac.AppendData(seq);
        _hmac.AppendData(packet);
        _hmac.GetHashAndReset(mac);
    }
}
