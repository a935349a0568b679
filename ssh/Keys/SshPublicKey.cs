using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>An SSH public key (not a certificate), identified by its wire blob.</summary>
public abstract class SshPublicKey : IEquatable<SshPublicKey>
{
    private readonly byte[] _blob;

    // private protected: the set of key types is closed, parsing decides the concrete type.
    private protected SshPublicKey(byte[] blob)
    {
        _blob = blob;
        Fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }

    /// <summary>Key algorithm name, e.g. <c>ssh-ed25519</c>.</summary>
    public abstract string Algorithm { get; }

    /// <summary>SSH wire encoding of the key (a copy).</summary>
    public byte[] Blob => (byte[])_blob.Clone();

    /// <summary><c>SHA256:</c> + unpadded base64 of SHA-256(blob), as <c>ssh-keygen -l</c> prints it.</summary>
    public string Fingerprint { get; }

    internal ReadOnlySpan<byte> BlobSpan => _blob;

    /// <summary>Parses <c>type base64 [comment]</c> as found in authorized_keys and .pub files.</summary>
    public static SshPublicKey Parse(string authorizedKeysLine)
    {
        ArgumentNullException.ThrowIfNull(authorizedKeysLine);
        var (type, blob) = AuthorizedKeysLine.Split(authorizedKeysLine, "public key");
        if (!SshAlgorithmNames.IsKnownKeyAlgorithm(type))
        {
            var hint = type.EndsWith("-cert-v01@openssh.com", StringComparison.Ordinal)
                ? " (this is a certificate; use SshCertificate.Parse)"
                : "";
            throw new FormatException($"Unsupported SSH public key type '{type}'{hint}.");
        }

        var key = FromBlob(blob);
        if (key.Algorithm != type)
        {
            throw new FormatException($"Key type '{type}' in the line does not match the key blob type '{key.Algorithm}'.");
        }

        return key;
    }

    /// <summary>Decodes a public key blob; trailing bytes are an error.</summary>
    public static SshPublicKey FromBlob(ReadOnlySpan<byte> blob)
    {
        var reader = new SshReader(blob);
        var algorithm = reader.ReadUtf8String();
        var key = ReadBody(algorithm, ref reader);
        reader.EnsureEnd("Public key blob");
        return key;
    }

    /// <summary>Reads the type-specific fields that follow the algorithm name (shared with certificates).</summary>
    internal static SshPublicKey ReadBody(string algorithm, ref SshReader reader)
    {
        if (algorithm == SshAlgorithmNames.Ed25519)
        {
            return new Ed25519PublicKey(reader.ReadString());
        }

        if (algorithm == SshAlgorithmNames.Rsa)
        {
            var exponent = reader.ReadMpintUnsigned();
            var modulus = reader.ReadMpintUnsigned();
            return new RsaPublicKey(exponent, modulus);
        }

        if (EcdsaCurve.FromAlgorithm(algorithm) is { } curve)
        {
            var curveName = reader.ReadUtf8String();
            if (curveName != curve.Name)
            {
                throw new FormatException($"ECDSA key of type '{algorithm}' names curve '{curveName}'.");
            }

            return new EcdsaPublicKey(curve, reader.ReadString());
        }

        throw new FormatException($"Unsupported SSH public key type '{algorithm}'.");
    }

    /// <summary>The blob without its leading algorithm string: the key fields a certificate embeds.</summary>
    internal ReadOnlySpan<byte> BodySpan
    {
        get
        {
            var reader = new SshReader(_blob);
            reader.ReadString();
            return _blob.AsSpan(reader.Consumed);
        }
    }

    public string ToAuthorizedKeysLine(string? comment = null) =>
        AuthorizedKeysLine.Format(Algorithm, _blob, comment);

    /// <summary>Verifies an SSH signature blob (<c>string alg, string sig</c>) over <paramref name="data"/>.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob);

    /// <summary>DER SubjectPublicKeyInfo, for embedding the key in X.509 certificates.</summary>
    public abstract byte[] ExportSubjectPublicKeyInfo();

    public bool Equals(SshPublicKey? other) => other is not null && BlobSpan.SequenceEqual(other.BlobSpan);

    public override bool Equals(object? obj) => Equals(obj as SshPublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_blob);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Algorithm} {Fingerprint}";
}
