using System.Buffers.Binary;
using CsCheck;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Transport;

/// <summary>
/// <see cref="ChaCha20Poly1305PacketCipher"/> against a plain BouncyCastle transcription of PROTOCOL.chacha20poly1305,
/// so that its faster payload path (the BCL AEAD's keystream) cannot drift from OpenSSH's construction.
/// </summary>
public sealed class ChaCha20Poly1305ReferenceTests
{
    [Fact]
    public void Encrypt_matches_the_reference_construction_and_decrypt_inverts_it()
    {
        Gen.Select(Gen.Byte.Array[64], Gen.UInt, Gen.Byte.Array[1, 5000]).Sample((key, sequence, body) =>
        {
            // A packet: length field plus a body whose length is a multiple of 8, as the framing guarantees.
            var packet = new byte[4 + (body.Length + 7) / 8 * 8];
            BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(packet.Length - 4));
            body.CopyTo(packet, 4);
            var (expectedPacket, expectedTag) = Reference(key, sequence, packet);

            using var sender = new ChaCha20Poly1305PacketCipher(key);
            var encrypted = (byte[])packet.Clone();
            var tag = new byte[16];
            sender.Encrypt(sequence, encrypted, tag);
            Assert.Equal(expectedPacket, encrypted);
            Assert.Equal(expectedTag, tag);

            using var receiver = new ChaCha20Poly1305PacketCipher(key);
            Assert.Equal((uint)(packet.Length - 4), receiver.ReadLength(sequence, encrypted.AsSpan(0, 4)));
            receiver.Decrypt(sequence, encrypted, tag);
            Assert.Equal(packet, encrypted);
        });
    }

    private static (byte[] Packet, byte[] Tag) Reference(byte[] key, uint sequence, byte[] plain)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce.AsSpan(4), sequence);
        var output = new byte[plain.Length];

        var header = new ChaCha7539Engine();
        header.Init(true, new ParametersWithIV(new KeyParameter(key, 32, 32), nonce));
        header.ProcessBytes(plain, 0, 4, output, 0);

        var main = new ChaCha7539Engine();
        main.Init(true, new ParametersWithIV(new KeyParameter(key, 0, 32), nonce));
        var block0 = new byte[64];
        main.ProcessBytes(new byte[64], 0, 64, block0, 0);
        main.ProcessBytes(plain, 4, plain.Length - 4, output, 4);

        var poly = new Poly1305();
        poly.Init(new KeyParameter(block0, 0, 32));
        poly.BlockUpdate(output, 0, output.Length);
        var tag = new byte[16];
        poly.DoFinal(tag, 0);
        return (output, tag);
    }
}
