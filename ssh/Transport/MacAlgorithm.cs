using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The HMAC-SHA2 MACs (RFC 6668) and their encrypt-then-MAC variants (OpenSSH PROTOCOL §1.5).</summary>
internal sealed class MacAlgorithm
{
    public static readonly IReadOnlyList<MacAlgorithm> All =
    [
        new("hmac-sha2-256-etm@openssh.com", HashAlgorithmName.SHA256, 32, encryptThenMac: true),
        new("hmac-sha2-512-etm@openssh.com", HashAlgorithmName.SHA512, 64, encryptThenMac: true),
        new("hmac-sha2-256", HashAlgorithmName.SHA256, 32, encryptThenMac: false),
        new("hmac-sha2-512", HashAlgorithmName.SHA512, 64, encryptThenMac: false),
    ];

    private MacAlgorithm(string name, HashAlgorithmName hash, int size, bool encryptThenMac)
    {
        Name = name;
        Hash = hash;
        OutputSize = size;
        EncryptThenMac = encryptThenMac;
    }

    public string Name { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>Key and output size are equal for HMAC-SHA2 in SSH.</summary>
    public int KeySize => OutputSize;

    public int OutputSize { get; }

    public bool EncryptThenMac { get; }

    public static MacAlgorithm? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
