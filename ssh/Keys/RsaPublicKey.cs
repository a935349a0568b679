using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>An <c>ssh-rsa</c> public key; signatures are accepted only as rsa-sha2-256/512 (RFC 8332).</summary>
public sealed class RsaPublicKey : SshPublicKey
{
    // OpenSSH's limits (SSH_RSA_MINIMUM_MODULUS_SIZE, OPENSSL_RSA_MAX_MODULUS_BITS).
    internal const int MinimumModulusBits = 1024;
    internal const int MaximumModulusBits = 16384;

    private readonly byte[] _exponent;
    private readonly byte[] _modulus;

    internal RsaPublicKey(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
        : base(Encode(exponent, modulus))
    {
        _exponent = exponent.ToArray();
        _modulus = modulus.ToArray();
    }

    public override string Algorithm => SshAlgorithmNames.Rsa;

    /// <summary>Modulus size in bits.</summary>
    public int KeySize => BitLength(_modulus);

    internal RSAParameters Parameters => new() { Exponent = _exponent, Modulus = _modulus };

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (!SshSignatureBlob.TryDecode(signatureBlob, out var algorithm, out var signature) ||
            HashFor(algorithm) is not { } hash ||
            signature.Length > _modulus.Length)
        {
            return false;
        }

        // OpenSSH tolerates signatures with leading zeros stripped; .NET wants the full modulus width.
        var padded = new byte[_modulus.Length];
        signature.CopyTo(padded.AsSpan(padded.Length - signature.Length));
        try
        {
            using var rsa = RSA.Create(Parameters);
            return rsa.VerifyData(data, padded, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A modulus OpenSSL refuses (e.g. even) cannot verify anything.
            return false;
        }
    }

    public override byte[] ExportSubjectPublicKeyInfo()
    {
        using var rsa = RSA.Create(Parameters);
        return rsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Hash for an RSA signature algorithm; SHA-1 <c>ssh-rsa</c> is deliberately not accepted.</summary>
    internal static HashAlgorithmName? HashFor(string signatureAlgorithm) => signatureAlgorithm switch
    {
        SshAlgorithmNames.RsaSha256 => HashAlgorithmName.SHA256,
        SshAlgorithmNames.RsaSha512 => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static byte[] Encode(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        var bits = BitLength(modulus);
        if (bits < MinimumModulusBits || bits > MaximumModulusBits)
        {
            throw new FormatException($"RSA modulus of {bits} bits is outside the supported {MinimumModulusBits}-{MaximumModulusBits} bits.");
        }

        if (exponent.IsEmpty || (exponent[^1] & 1) == 0 || (exponent.Length == 1 && exponent[0] < 3))
        {
            throw new FormatException("RSA public exponent must be odd and at least 3.");
        }

        return new SshWriter(modulus.Length + exponent.Length + 32)
            .WriteString(SshAlgorithmNames.Rsa)
            .WriteMpintUnsigned(exponent)
            .WriteMpintUnsigned(modulus)
            .ToArray();
    }

    // Inputs are minimal magnitudes (no leading zero bytes).
    private static int BitLength(ReadOnlySpan<byte> magnitude) =>
        magnitude.IsEmpty ? 0 : ((magnitude.Length - 1) * 8) + (32 - int.LeadingZeroCount(magnitude[0]));
}
