using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>
/// An OpenSSH certificate (PROTOCOL.certkeys): a public key plus identity, validity and options,
/// signed by a CA key. Parsing is strict; trust and validity are checked by <see cref="SshCertificateValidator"/>.
/// </summary>
public sealed class SshCertificate
{
    private readonly byte[] _blob;
    private readonly byte[] _nonce;
    private readonly int _signedLength;
    private readonly byte[] _signature;

    private SshCertificate(byte[] blob, Fields fields)
    {
        _blob = blob;
        _nonce = fields.Nonce;
        _signedLength = fields.SignedLength;
        _signature = fields.Signature;
        Algorithm = fields.Algorithm;
        PublicKey = fields.PublicKey;
        Serial = fields.Serial;
        Type = fields.Type;
        KeyId = fields.KeyId;
        Principals = fields.Principals;
        ValidAfterSeconds = fields.ValidAfter;
        ValidBeforeSeconds = fields.ValidBefore;
        CriticalOptions = fields.CriticalOptions;
        Extensions = fields.Extensions;
        SignatureKey = fields.SignatureKey;
        SignatureAlgorithm = fields.SignatureAlgorithm;
    }

    /// <summary>Certificate algorithm, e.g. <c>ssh-ed25519-cert-v01@openssh.com</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The certified key.</summary>
    public SshPublicKey PublicKey { get; }

    public byte[] Nonce => (byte[])_nonce.Clone();

    public ulong Serial { get; }

    public SshCertificateType Type { get; }

    public string KeyId { get; }

    public IReadOnlyList<string> Principals { get; }

    public DateTimeOffset ValidAfter => CertificateTime.FromSeconds(ValidAfterSeconds);

    /// <summary><see cref="DateTimeOffset.MaxValue"/> when the certificate never expires.</summary>
    public DateTimeOffset ValidBefore => CertificateTime.FromSeconds(ValidBeforeSeconds);

    public ulong ValidAfterSeconds { get; }

    public ulong ValidBeforeSeconds { get; }

    /// <summary>Critical options with decoded values (e.g. force-command → "/bin/true").</summary>
    public IReadOnlyDictionary<string, string> CriticalOptions { get; }

    /// <summary>Extensions with decoded values; flag extensions map to "".</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; }

    /// <summary>The CA key that signed the certificate.</summary>
    public SshPublicKey SignatureKey { get; }

    /// <summary>Algorithm of the CA signature, e.g. <c>ssh-ed25519</c> or <c>rsa-sha2-512</c>.</summary>
    public string SignatureAlgorithm { get; }

    /// <summary>The certificate's wire encoding (a copy).</summary>
    public byte[] Blob => (byte[])_blob.Clone();

    internal ReadOnlySpan<byte> BlobSpan => _blob;

    /// <summary>Parses <c>&lt;type&gt;-cert-v01@openssh.com base64 [comment]</c>, as in a -cert.pub file.</summary>
    public static SshCertificate Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var (type, blob) = AuthorizedKeysLine.Split(line, "certificate");
        if (CertificateAlgorithms.KeyAlgorithm(type) is null)
        {
            throw new FormatException($"Unsupported SSH certificate type '{type}'.");
        }

        var certificate = FromBlob(blob);
        if (certificate.Algorithm != type)
        {
            throw new FormatException($"Certificate type '{type}' in the line does not match the blob type '{certificate.Algorithm}'.");
        }

        return certificate;
    }

    /// <summary>Strictly decodes a certificate blob; any malformation is a <see cref="FormatException"/> with the reason.</summary>
    public static SshCertificate FromBlob(ReadOnlySpan<byte> blob)
    {
        var reader = new SshReader(blob);
        var algorithm = reader.ReadUtf8String();
        var keyAlgorithm = CertificateAlgorithms.KeyAlgorithm(algorithm)
            ?? throw new FormatException($"Unsupported SSH certificate type '{algorithm}'.");

        var nonce = reader.ReadString().ToArray();
        var publicKey = SshPublicKey.ReadBody(keyAlgorithm, ref reader);
        var serial = reader.ReadUInt64();
        var type = reader.ReadUInt32();
        if (type is not ((uint)SshCertificateType.User or (uint)SshCertificateType.Host))
        {
            throw new FormatException($"Unknown certificate type {type}; expected 1 (user) or 2 (host).");
        }

        var keyId = reader.ReadUtf8String();
        var principals = ReadPrincipals(reader.ReadString());
        var validAfter = reader.ReadUInt64();
        var validBefore = reader.ReadUInt64();
        var criticalOptions = CertificateOptions.Read(reader.ReadString(), "critical options");
        var extensions = CertificateOptions.Read(reader.ReadString(), "extensions");
        reader.ReadString(); // reserved

        // Only plain keys are accepted here, which also rules out chained certificates.
        SshPublicKey signatureKey;
        try
        {
            signatureKey = SshPublicKey.FromBlob(reader.ReadString());
        }
        catch (FormatException ex)
        {
            throw new FormatException($"Invalid certificate signature key: {ex.Message}", ex);
        }

        var signedLength = reader.Consumed;
        var signature = reader.ReadString().ToArray();
        reader.EnsureEnd("Certificate");
        if (!SshSignatureBlob.TryDecode(signature, out var signatureAlgorithm, out _))
        {
            throw new FormatException("Malformed certificate signature.");
        }

        return new SshCertificate(blob.ToArray(), new Fields
        {
            Algorithm = algorithm,
            Nonce = nonce,
            PublicKey = publicKey,
            Serial = serial,
            Type = (SshCertificateType)type,
            KeyId = keyId,
            Principals = principals,
            ValidAfter = validAfter,
            ValidBefore = validBefore,
            CriticalOptions = criticalOptions,
            Extensions = extensions,
            SignatureKey = signatureKey,
            SignatureAlgorithm = signatureAlgorithm,
            Signature = signature,
            SignedLength = signedLength,
        });
    }

    /// <summary>Verifies the CA signature over every byte up to and including the signature key.</summary>
    public bool VerifySignature() => SignatureKey.Verify(_blob.AsSpan(0, _signedLength), _signature);

    public string ToAuthorizedKeysLine(string? comment = null) => AuthorizedKeysLine.Format(Algorithm, _blob, comment);

    public override string ToString() => $"{Algorithm} {Type} id \"{KeyId}\" serial {Serial}";

    private static IReadOnlyList<string> ReadPrincipals(ReadOnlySpan<byte> packed)
    {
        var principals = new List<string>();
        var reader = new SshReader(packed);
        while (!reader.IsEmpty)
        {
            principals.Add(reader.ReadUtf8String());
        }

        return principals.AsReadOnly();
    }

    private sealed class Fields
    {
        public required string Algorithm { get; init; }

        public required byte[] Nonce { get; init; }

        public required SshPublicKey PublicKey { get; init; }

        public required ulong Serial { get; init; }

        public required SshCertificateType Type { get; init; }

        public required string KeyId { get; init; }

        public required IReadOnlyList<string> Principals { get; init; }

        public required ulong ValidAfter { get; init; }

        public required ulong ValidBefore { get; init; }

        public required IReadOnlyDictionary<string, string> CriticalOptions { get; init; }

        public required IReadOnlyDictionary<string, string> Extensions { get; init; }

        public required SshPublicKey SignatureKey { get; init; }

        public required string SignatureAlgorithm { get; init; }

        public required byte[] Signature { get; init; }

        public required int SignedLength { get; init; }
    }
}
