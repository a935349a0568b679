using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>The NIST curves SSH uses (RFC 5656): name, hash and field size in one place.</summary>
internal sealed class EcdsaCurve
{
    public static readonly EcdsaCurve P256 = new("nistp256", "1.2.840.10045.3.1.7", ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 32);
    public static readonly EcdsaCurve P384 = new("nistp384", "1.3.132.0.34", ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 48);
    public static readonly EcdsaCurve P521 = new("nistp521", "1.3.132.0.35", ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, 66);

    private static readonly EcdsaCurve[] All = [P256, P384, P521];

    private EcdsaCurve(string name, string oid, ECCurve curve, HashAlgorithmName hash, int fieldSize)
    {
        Name = name;
        Oid = oid;
        Curve = curve;
        Hash = hash;
        FieldSize = fieldSize;
    }

    /// <summary>SSH curve identifier, e.g. <c>nistp256</c>.</summary>
    public string Name { get; }

    public string Algorithm => "ecdsa-sha2-" + Name;

    public string Oid { get; }

    public ECCurve Curve { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>Bytes per coordinate (and per r, s in a fixed-width signature).</summary>
    public int FieldSize { get; }

    /// <summary>Length of the uncompressed point 0x04 || X || Y.</summary>
    public int PointSize => 1 + (2 * FieldSize);

    public static EcdsaCurve? FromName(string name) => All.FirstOrDefault(c => c.Name == name);

    public static EcdsaCurve? FromAlgorithm(string algorithm) => All.FirstOrDefault(c => c.Algorithm == algorithm);

    /// <summary>Maps a curve that .NET reports after importing a key back to an SSH curve.</summary>
    public static EcdsaCurve? FromECCurve(ECCurve curve)
    {
        if (!curve.IsNamed)
        {
            return null;
        }

        var oid = curve.Oid.Value;
        var friendly = curve.Oid.FriendlyName;
        return All.FirstOrDefault(c =>
            (oid is not null && oid == c.Oid) ||
            (friendly is not null && string.Equals(friendly, c.Curve.Oid.FriendlyName, StringComparison.OrdinalIgnoreCase)));
    }
}
