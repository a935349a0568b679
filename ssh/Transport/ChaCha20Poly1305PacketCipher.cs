using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// <c>chacha20-poly1305@openssh.com</c> (PROTOCOL.chacha20poly1305). Not the RFC 8439 AEAD, so the BCL type
/// cannot be used: K_2 (key bytes 0..31) encrypts the payload from block 1 and its block 0 keys Poly1305;
/// K_1 (bytes 32..63) encrypts the length. The nonce is the sequence number; the tag covers enc_len || ciphertext.
/// </summary>
internal sealed class ChaCha20Poly1305PacketCipher : PacketCipher
{
    private const int Tag = 16;
    private readonly KeyParameter _mainKey;
    private readonly KeyParameter _headerKey;
    private readonly ChaCha7539Engine _main = new();
    private readonly ChaCha7539Engine _header = new();
    private readonly Poly1305 _poly = new();
    private readonly byte[] _nonce = new byte[12];

    // Performance: the payload keystream (K_2, nonce 0^32 || seqnr, from block 1) is exactly what the RFC 8439 AEAD
    // encrypts with, so the BCL's OpenSSL-backed, vectorized ChaCha20Poly1305 produces the payload bytes; its own tag
    // (over a different layout) is discarded. This is several times faster than BouncyCastle's scalar engine, which
    // took most of the server's CPU in the throughput benchmark. Null where the platform lacks the BCL type.
    private readonly ChaCha20Poly1305? _payload;
    private readonly byte[] _discardedTag = new byte[Tag];

    public ChaCha20Poly1305PacketCipher(ReadOnlySpan<byte> key)
    {
        _mainKey = new KeyParameter(key[..32]);
        _headerKey = new KeyParameter(key[32..64]);
        _payload = ChaCha20Poly1305.IsSupported ? new ChaCha20Poly1305(key[..32]) : null;
    }

    public override int BlockSize => 8;

    public override int TagSize => Tag;

    public override bool LengthOutsidePadding => true;

    public override uint ReadLength(uint sequence, Span<byte> head)
    {
        // Decrypt a copy: the encrypted length is still needed for the tag.
        Span<byte> length = stackalloc byte[4];
        InitEngine(_header, _headerKey, sequence);
        _header.ProcessBytes(head[..4], length);
        return BinaryPrimitives.ReadUInt32BigEndian(length);
    }

    public override void Encrypt(uint sequence, Span<byte> packet, Span<byte> tag)
    {
        InitEngine(_header, _headerKey, sequence);
        _header.ProcessBytes(packet[..4], packet[..4]);
        Span<byte> polyKey = stackalloc byte[32];
        StartMain(sequence, polyKey);
        TransformPayload(sequence, packet[4..]);
        ComputeTag(polyKey, packet, tag);
    }

    public override void Decrypt(uint sequence, Span<byte> packet, ReadOnlySpan<byte> tag)
    {
        Span<byte> polyKey = stackalloc byte[32];
        Span<byte> expected = stackalloc byte[Tag];
        StartMain(sequence, polyKey);
        ComputeTag(polyKey, packet, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, tag))
        {
            throw MacError();
        }

        InitEngine(_header, _headerKey, sequence);
        _header.ProcessBytes(packet[..4], packet[..4]);
        TransformPayload(sequence, packet[4..]);
    }

    public override void Dispose() => _payload?.Dispose();

    /// <summary>XORs the payload keystream (from block 1) in place; <see cref="StartMain"/> has run for this packet.</summary>
    private void TransformPayload(uint sequence, Span<byte> payload)
    {
        if (_payload is null)
        {
            _main.ProcessBytes(payload, payload);
            return;
        }

        // Encrypting is XOR with the keystream, so the same call decrypts.
        BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(4), sequence);
        _payload.Encrypt(_nonce, payload, payload, _discardedTag);
    }

    private void StartMain(uint sequence, Span<byte> polyKey)
    {
        InitEngine(_main, _mainKey, sequence);
        Span<byte> block = stackalloc byte[64];
        block.Clear();
        // Keystream block 0 keys Poly1305; consuming all 64 bytes leaves the engine at block 1 for the payload.
        _main.ProcessBytes(block, block);
        block[..32].CopyTo(polyKey);
        CryptographicOperations.ZeroMemory(block);
    }

    private void ComputeTag(ReadOnlySpan<byte> polyKey, ReadOnlySpan<byte> data, Span<byte> tag)
    {
        _poly.Init(new KeyParameter(polyKey));
        _poly.BlockUpdate(data);
        _poly.DoFinal(tag);
    }

    private void InitEngine(ChaCha7539Engine engine, KeyParameter key, uint sequence)
    {
        // RFC 7539 nonce = 4 zero bytes || 64-bit sequence number: the same keystream as OpenSSH's 64-bit-nonce ChaCha20.
        BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(4), sequence);
        engine.Init(true, new ParametersWithIV(key, _nonce));
    }
}
