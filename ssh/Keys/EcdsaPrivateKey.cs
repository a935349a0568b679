using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>ECDSA private key on a NIST curve, backed by .NET's <see cref="ECDsa"/>.</summary>
internal sealed class EcdsaPrivateKey : SshPrivateKey
{
    private readonly ECDsa _ecdsa;

    // .NET documents no thread safety for instance members; a host key signs for many connections at once.
    private readonly Lock _gate = new();
    private readonly EcdsaCurve _curve;
    private readonly EcdsaPublicKey _publicKey;

    private EcdsaPrivateKey(ECDsa ecdsa)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        _curve = EcdsaCurve.FromECCurve(parameters.Curve)
            ?? throw new FormatException("Only the NIST P-256, P-384 and P-521 curves are supported for ECDSA keys.");
        _ecdsa = ecdsa;
        _publicKey = new EcdsaPublicKey(_curve, EcdsaPublicKey.PointFromParameters(_curve, parameters.Q));
    }

    public override SshPublicKey PublicKey => _publicKey;

    public static EcdsaPrivateKey Generate(EcdsaCurve curve) => new(ECDsa.Create(curve.Curve));

    /// <summary>Takes ownership of an imported key; disposes it if the curve is unsupported.</summary>
    public static EcdsaPrivateKey FromEcdsa(ECDsa ecdsa)
    {
        try
        {
            return new EcdsaPrivateKey(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>OpenSSH stores <c>string curve, string Q, mpint d</c>.</summary>
    public static EcdsaPrivateKey FromOpenSsh(EcdsaCurve curve, ref SshReader reader)
    {
        var curveName = reader.ReadUtf8String();
        if (curveName != curve.Name)
        {
            throw new FormatException($"ECDSA private key of type '{curve.Algorithm}' names curve '{curveName}'.");
        }

        var publicKey = new EcdsaPublicKey(curve, reader.ReadString());
        var d = reader.ReadMpintUnsigned();
        if (d.Length > curve.FieldSize)
        {
            throw new FormatException("ECDSA private scalar is larger than the curve order.");
        }

        var parameters = publicKey.Parameters;
        parameters.D = new byte[curve.FieldSize];
        d.CopyTo(parameters.D.AsSpan(curve.FieldSize - d.Length));
        try
        {
            // .NET (OpenSSL) checks that D and Q belong together.
            return FromEcdsa(ECDsa.Create(parameters));
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("ECDSA private key does not match its public key.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    internal override void WriteOpenSshPrivateFields(SshWriter writer)
    {
        var parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        writer.WriteString(_curve.Name).WriteString(_publicKey.Point).WriteMpintUnsigned(parameters.D);
        CryptographicOperations.ZeroMemory(parameters.D);
    }

    internal override byte[] ExportPkcs8() => _ecdsa.ExportPkcs8PrivateKey();

    private protected override byte[] SignCore(ReadOnlySpan<byte> data, string signatureAlgorithm)
    {
        if (signatureAlgorithm != _curve.Algorithm)
        {
            throw new ArgumentException($"A {_curve.Name} key cannot sign with '{signatureAlgorithm}'.", nameof(signatureAlgorithm));
        }

        byte[] fixedWidth;
        lock (_gate)
        {
            fixedWidth = _ecdsa.SignData(data, _curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return EcdsaPublicKey.EncodeSignature(_curve, fixedWidth);
    }

    private protected override void DisposeCore() => _ecdsa.Dispose();
}
