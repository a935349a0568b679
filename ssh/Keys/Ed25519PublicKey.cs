using System.Formats.Asn1;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>An <c>ssh-ed25519</c> public key (RFC 8709).</summary>
public sealed class Ed25519PublicKey : SshPublicKey
{
    internal const string Oid = "1.3.101.112";
    internal const int KeySize = 32;
    private const int SignatureSize = 64;

    private readonly byte[] _key;

    internal Ed25519PublicKey(ReadOnlySpan<byte> key)
        : base(Encode(key))
    {
        _key = key.ToArray();
    }

    public override string Algorithm => SshAlgorithmNames.Ed25519;

    /// <summary>The 32-byte encoded point.</summary>
    public ReadOnlySpan<byte> Key => _key;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (!SshSignatureBlob.TryDecode(signatureBlob, out var algorithm, out var signature) ||
            algorithm != SshAlgorithmNames.Ed25519 ||
            signature.Length != SignatureSize)
        {
            return false;
        }

        // Rfc8032.Ed25519.Verify returns false (not throws) for points that do not decode.
        var message = data.ToArray();
        return Ed25519.Verify(signature, 0, _key, 0, message, 0, message.Length);
    }

    public override byte[] ExportSubjectPublicKeyInfo()
    {
        // RFC 8410: SEQUENCE { SEQUENCE { OID id-Ed25519 }, BIT STRING key }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Oid);
            }

            writer.WriteBitString(_key);
        }

        return writer.Encode();
    }

    private static byte[] Encode(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new FormatException($"Ed25519 public key must be {KeySize} bytes, got {key.Length}.");
        }

        return new SshWriter(64).WriteString(SshAlgorithmNames.Ed25519).WriteString(key).ToArray();
    }
}
