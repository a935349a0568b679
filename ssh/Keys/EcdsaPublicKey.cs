using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>An <c>ecdsa-sha2-nistp256/384/521</c> public key (RFC 5656).</summary>
public sealed class EcdsaPublicKey : SshPublicKey
{
    private readonly byte[] _point;

    internal EcdsaPublicKey(EcdsaCurve curve, ReadOnlySpan<byte> point)
        : base(Encode(curve, point))
    {
        Curve = curve;
        _point = point.ToArray();
        // Import once so that points off the curve are refused at parse time, as OpenSSH does.
        try
        {
            using var ecdsa = CreateEcdsa();
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"Invalid {curve.Name} public key point.", ex);
        }
    }

    public override string Algorithm => Curve.Algorithm;

    /// <summary>SSH curve identifier: <c>nistp256</c>, <c>nistp384</c> or <c>nistp521</c>.</summary>
    public string CurveName => Curve.Name;

    /// <summary>The uncompressed point 0x04 || X || Y.</summary>
    public ReadOnlySpan<byte> Point => _point;

    internal EcdsaCurve Curve { get; }

    internal ECParameters Parameters => new()
    {
        Curve = Curve.Curve,
        Q = new ECPoint
        {
            X = _point.AsSpan(1, Curve.FieldSize).ToArray(),
            Y = _point.AsSpan(1 + Curve.FieldSize, Curve.FieldSize).ToArray(),
        },
    };

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (!SshSignatureBlob.TryDecode(signatureBlob, out var algorithm, out var signature) ||
            algorithm != Algorithm ||
            !TryDecodeSignature(signature, out var fixedWidth))
        {
            return false;
        }

        using var ecdsa = CreateEcdsa();
        return ecdsa.VerifyData(data, fixedWidth, Curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public override byte[] ExportSubjectPublicKeyInfo()
    {
        using var ecdsa = CreateEcdsa();
        return ecdsa.ExportSubjectPublicKeyInfo();
    }

    internal ECDsa CreateEcdsa() => ECDsa.Create(Parameters);

    /// <summary>SSH encodes an ECDSA signature as <c>mpint r, mpint s</c>; .NET wants fixed-width r || s.</summary>
    internal bool TryDecodeSignature(ReadOnlySpan<byte> signature, out byte[] fixedWidth)
    {
        fixedWidth = new byte[2 * Curve.FieldSize];
        try
        {
            var reader = new SshReader(signature);
            var r = reader.ReadMpintUnsigned();
            var s = reader.ReadMpintUnsigned();
            reader.EnsureEnd("ECDSA signature");
            if (r.Length > Curve.FieldSize || s.Length > Curve.FieldSize)
            {
                return false;
            }

            r.CopyTo(fixedWidth.AsSpan(Curve.FieldSize - r.Length));
            s.CopyTo(fixedWidth.AsSpan((2 * Curve.FieldSize) - s.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    internal static byte[] EncodeSignature(EcdsaCurve curve, ReadOnlySpan<byte> fixedWidth)
    {
        var inner = new SshWriter(2 * (curve.FieldSize + 5))
            .WriteMpintUnsigned(fixedWidth[..curve.FieldSize])
            .WriteMpintUnsigned(fixedWidth[curve.FieldSize..]);
        return SshSignatureBlob.Encode(curve.Algorithm, inner.WrittenSpan);
    }

    internal static byte[] PointFromParameters(EcdsaCurve curve, ECPoint q)
    {
        var point = new byte[curve.PointSize];
        point[0] = 0x04;
        q.X.CopyTo(point.AsSpan(1 + curve.FieldSize - q.X!.Length));
        q.Y.CopyTo(point.AsSpan(1 + (2 * curve.FieldSize) - q.Y!.Length));
        return point;
    }

    private static byte[] Encode(EcdsaCurve curve, ReadOnlySpan<byte> point)
    {
        if (point.Length != curve.PointSize || point[0] != 0x04)
        {
            throw new FormatException($"ECDSA {curve.Name} public key must be an uncompressed point of {curve.PointSize} bytes.");
        }

        return new SshWriter(curve.PointSize + 48)
            .WriteString(curve.Algorithm)
            .WriteString(curve.Name)
            .WriteString(point)
            .ToArray();
    }
}
