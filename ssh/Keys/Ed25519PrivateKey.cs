using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>Ed25519 private key backed by BouncyCastle (.NET 10 has no Ed25519).</summary>
internal sealed class Ed25519PrivateKey : SshPrivateKey
{
    private readonly byte[] _seed;
    private readonly Ed25519PublicKey _publicKey;

    private Ed25519PrivateKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SecretKeySize)
        {
            throw new FormatException($"Ed25519 private key must be {Ed25519.SecretKeySize} bytes, got {seed.Length}.");
        }

        _seed = seed.ToArray();
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(_seed, 0, publicKey, 0);
        _publicKey = new Ed25519PublicKey(publicKey);
    }

    public override SshPublicKey PublicKey => _publicKey;

    public static Ed25519PrivateKey Generate()
    {
        Span<byte> seed = stackalloc byte[Ed25519.SecretKeySize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return new Ed25519PrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed) => new(seed);

    /// <summary>OpenSSH stores <c>string pk, string seed || pk</c>; both copies of pk must agree with the seed.</summary>
    public static Ed25519PrivateKey FromOpenSsh(ref SshReader reader)
    {
        var publicKey = reader.ReadString();
        var secret = reader.ReadString();
        if (secret.Length != Ed25519.SecretKeySize + Ed25519.PublicKeySize)
        {
            throw new FormatException($"Ed25519 private key field must be 64 bytes, got {secret.Length}.");
        }

        var key = new Ed25519PrivateKey(secret[..Ed25519.SecretKeySize]);
        if (!publicKey.SequenceEqual(key._publicKey.Key) || !secret[Ed25519.SecretKeySize..].SequenceEqual(key._publicKey.Key))
        {
            key.Dispose();
            throw new FormatException("Ed25519 private key does not match its public key.");
        }

        return key;
    }

    /// <summary>RFC 8410 PKCS#8: the private key OCTET STRING wraps a CurvePrivateKey OCTET STRING.</summary>
    public static Ed25519PrivateKey FromPkcs8PrivateKeyField(ReadOnlyMemory<byte> privateKeyField)
    {
        var reader = new AsnReader(privateKeyField, AsnEncodingRules.BER);
        var seed = reader.ReadOctetString();
        reader.ThrowIfNotEmpty();
        try
        {
            return new Ed25519PrivateKey(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    internal override void WriteOpenSshPrivateFields(SshWriter writer)
    {
        var secret = new byte[Ed25519.SecretKeySize + Ed25519.PublicKeySize];
        _seed.CopyTo(secret, 0);
        _publicKey.Key.CopyTo(secret.AsSpan(Ed25519.SecretKeySize));
        writer.WriteString(_publicKey.Key).WriteString(secret);
        CryptographicOperations.ZeroMemory(secret);
    }

    internal override byte[] ExportPkcs8()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Ed25519PublicKey.Oid);
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(_seed);
            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }

    private protected override byte[] SignCore(ReadOnlySpan<byte> data, string signatureAlgorithm)
    {
        if (signatureAlgorithm != SshAlgorithmNames.Ed25519)
        {
            throw new ArgumentException($"An Ed25519 key cannot sign with '{signatureAlgorithm}'.", nameof(signatureAlgorithm));
        }

        var message = data.ToArray();
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_seed, 0, message, 0, message.Length, signature, 0);
        return SshSignatureBlob.Encode(SshAlgorithmNames.Ed25519, signature);
    }

    private protected override void DisposeCore() => CryptographicOperations.ZeroMemory(_seed);
}
