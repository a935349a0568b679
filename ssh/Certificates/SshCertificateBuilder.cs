using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Describes a certificate to issue; <see cref="Sign"/> produces it with a CA key.</summary>
public sealed class SshCertificateBuilder
{
    private const int NonceSize = 32; // what ssh-keygen uses

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public required SshPublicKey PublicKey { get; init; }

    public SshCertificateType Type { get; init; } = SshCertificateType.User;

    public string KeyId { get; init; } = "";

    public IReadOnlyList<string> Principals { get; init; } = [];

    /// <summary>Start of validity; <see cref="DateTimeOffset.UnixEpoch"/> encodes as 0 ("always").</summary>
    public DateTimeOffset ValidAfter { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>End of validity (exclusive); <see cref="DateTimeOffset.MaxValue"/> encodes as forever.</summary>
    public DateTimeOffset ValidBefore { get; init; } = DateTimeOffset.MaxValue;

    public ulong Serial { get; init; }

    public IReadOnlyDictionary<string, string> CriticalOptions { get; init; } = Empty;

    public IReadOnlyDictionary<string, string> Extensions { get; init; } = Empty;

    /// <summary>Signs with a random 32-byte nonce; options and extensions are written sorted by name.</summary>
    public SshCertificate Sign(SshPrivateKey ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(PublicKey);
        ArgumentNullException.ThrowIfNull(KeyId);
        ArgumentNullException.ThrowIfNull(Principals);
        ArgumentNullException.ThrowIfNull(CriticalOptions);
        ArgumentNullException.ThrowIfNull(Extensions);
        if (Type is not (SshCertificateType.User or SshCertificateType.Host))
        {
            throw new ArgumentOutOfRangeException(nameof(Type), Type, "Certificate type must be User or Host.");
        }

        var validAfter = CertificateTime.ToSeconds(ValidAfter, nameof(ValidAfter));
        var validBefore = CertificateTime.ToSeconds(ValidBefore, nameof(ValidBefore));
        if (validAfter > validBefore)
        {
            throw new ArgumentException("ValidAfter must not be later than ValidBefore.", nameof(ValidAfter));
        }

        var principals = new SshWriter();
        foreach (var principal in Principals)
        {
            principals.WriteString(principal);
        }

        var writer = new SshWriter(1024)
            .WriteString(CertificateAlgorithms.ForKey(PublicKey.Algorithm))
            .WriteString(RandomNumberGenerator.GetBytes(NonceSize))
            .WriteRaw(PublicKey.BodySpan)
            .WriteUInt64(Serial)
            .WriteUInt32((uint)Type)
            .WriteString(KeyId)
            .WriteString(principals)
            .WriteUInt64(validAfter)
            .WriteUInt64(validBefore);
        CertificateOptions.Write(writer, CriticalOptions);
        CertificateOptions.Write(writer, Extensions);
        writer.WriteString([]) // reserved
            .WriteString(ca.PublicKey.BlobSpan);
        writer.WriteString(ca.Sign(writer.WrittenSpan));

        // Reparsing keeps one source of truth for the fields and checks our own encoding.
        return SshCertificate.FromBlob(writer.WrittenSpan);
    }
}
