using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>A negotiable key exchange method: its hash and how to make the server's ephemeral key.</summary>
internal sealed class KeyExchangeAlgorithm
{
    public static readonly IReadOnlyList<KeyExchangeAlgorithm> All =
    [
        new("curve25519-sha256", HashAlgorithmName.SHA256, () => new Curve25519KeyAgreement()),
        new("curve25519-sha256@libssh.org", HashAlgorithmName.SHA256, () => new Curve25519KeyAgreement()),
        new("ecdh-sha2-nistp256", HashAlgorithmName.SHA256, () => new EcdhKeyAgreement(EcdsaCurve.P256)),
        new("ecdh-sha2-nistp384", HashAlgorithmName.SHA384, () => new EcdhKeyAgreement(EcdsaCurve.P384)),
        new("ecdh-sha2-nistp521", HashAlgorithmName.SHA512, () => new EcdhKeyAgreement(EcdsaCurve.P521)),
    ];

    private readonly Func<KeyAgreement> _create;

    private KeyExchangeAlgorithm(string name, HashAlgorithmName hash, Func<KeyAgreement> create)
    {
        Name = name;
        Hash = hash;
        _create = create;
    }

    public string Name { get; }

    public HashAlgorithmName Hash { get; }

    public static KeyExchangeAlgorithm? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    public KeyAgreement CreateAgreement() => _create();
}
