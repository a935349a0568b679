using System.Numerics;
using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>RSA private key backed by .NET's <see cref="RSA"/>; signs rsa-sha2-512 by default.</summary>
internal sealed class RsaPrivateKey : SshPrivateKey
{
    private readonly RSA _rsa;

    // .NET documents no thread safety for instance members; a host key signs for many connections at once.
    private readonly Lock _gate = new();
    private readonly RsaPublicKey _publicKey;

    private RsaPrivateKey(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        _publicKey = new RsaPublicKey(Trim(parameters.Exponent!), Trim(parameters.Modulus!));
        _rsa = rsa;
    }

    public override SshPublicKey PublicKey => _publicKey;

    public override string DefaultSignatureAlgorithm => SshAlgorithmNames.RsaSha512;

    public static RsaPrivateKey Generate(int bits) => new(RSA.Create(bits));

    /// <summary>Takes ownership of an imported key; disposes it if the key is unusable.</summary>
    public static RsaPrivateKey FromRsa(RSA rsa)
    {
        try
        {
            return new RsaPrivateKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>OpenSSH stores <c>mpint n, e, d, iqmp, p, q</c>; .NET also needs dP and dQ, derived here.</summary>
    public static RsaPrivateKey FromOpenSsh(ref SshReader reader)
    {
        var n = reader.ReadMpintUnsigned();
        var e = reader.ReadMpintUnsigned();
        var d = reader.ReadMpintUnsigned();
        var iqmp = reader.ReadMpintUnsigned();
        var p = reader.ReadMpintUnsigned();
        var q = reader.ReadMpintUnsigned();

        var modulusLength = n.Length;
        var halfLength = (modulusLength + 1) / 2;
        var dValue = ToBigInteger(d);
        var pValue = ToBigInteger(p);
        var qValue = ToBigInteger(q);
        if (pValue <= BigInteger.One || qValue <= BigInteger.One || pValue * qValue != ToBigInteger(n))
        {
            throw new FormatException("RSA private key primes do not match the modulus.");
        }

        var parameters = new RSAParameters
        {
            Modulus = n.ToArray(),
            Exponent = e.ToArray(),
            D = Pad(d, modulusLength),
            P = Pad(p, halfLength),
            Q = Pad(q, halfLength),
            DP = Pad(FromBigInteger(dValue % (pValue - 1)), halfLength),
            DQ = Pad(FromBigInteger(dValue % (qValue - 1)), halfLength),
            InverseQ = Pad(iqmp, halfLength),
        };
        try
        {
            return FromRsa(RSA.Create(parameters));
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("Invalid RSA private key.", ex);
        }
    }

    internal override void WriteOpenSshPrivateFields(SshWriter writer)
    {
        var p = _rsa.ExportParameters(includePrivateParameters: true);
        writer.WriteMpintUnsigned(p.Modulus).WriteMpintUnsigned(p.Exponent).WriteMpintUnsigned(p.D)
            .WriteMpintUnsigned(p.InverseQ).WriteMpintUnsigned(p.P).WriteMpintUnsigned(p.Q);
        foreach (var secret in new[] { p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ })
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    internal override byte[] ExportPkcs8() => _rsa.ExportPkcs8PrivateKey();

    private protected override byte[] SignCore(ReadOnlySpan<byte> data, string signatureAlgorithm)
    {
        var hash = RsaPublicKey.HashFor(signatureAlgorithm)
            ?? throw new ArgumentException($"An RSA key signs only with rsa-sha2-256 or rsa-sha2-512, not '{signatureAlgorithm}'.", nameof(signatureAlgorithm));
        byte[] signature;
        lock (_gate)
        {
            signature = _rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
        }

        return SshSignatureBlob.Encode(signatureAlgorithm, signature);
    }

    private protected override void DisposeCore() => _rsa.Dispose();

    private static byte[] Trim(byte[] magnitude)
    {
        var start = Array.FindIndex(magnitude, b => b != 0);
        return start <= 0 ? magnitude : magnitude[start..];
    }

    private static byte[] Pad(ReadOnlySpan<byte> magnitude, int length)
    {
        if (magnitude.Length > length)
        {
            throw new FormatException("RSA private key component is larger than the modulus allows.");
        }

        var padded = new byte[length];
        magnitude.CopyTo(padded.AsSpan(length - magnitude.Length));
        return padded;
    }

    private static BigInteger ToBigInteger(ReadOnlySpan<byte> magnitude) => new(magnitude, isUnsigned: true, isBigEndian: true);

    private static byte[] FromBigInteger(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
