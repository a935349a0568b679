using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Theory data and ssh-keygen arguments for every key type.</summary>
public static class KeyTypeData
{
    public static TheoryData<SshKeyType> All => [.. Enum.GetValues<SshKeyType>()];

    /// <summary>ssh-keygen <c>-t</c> and <c>-b</c> for a key type.</summary>
    internal static (string Type, int? Bits) KeygenArguments(SshKeyType type) => type switch
    {
        SshKeyType.Ed25519 => ("ed25519", null),
        SshKeyType.EcdsaP256 => ("ecdsa", 256),
        SshKeyType.EcdsaP384 => ("ecdsa", 384),
        SshKeyType.EcdsaP521 => ("ecdsa", 521),
        SshKeyType.Rsa => ("rsa", null),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Generates a key with ssh-keygen at dir/name (and name.pub) and returns the private key path.</summary>
    internal static string GenerateWithSshKeygen(TempDirectory dir, string name, SshKeyType type)
    {
        var (keygenType, bits) = KeygenArguments(type);
        var path = dir.File(name);
        SshKeygen.GenerateKey(path, keygenType, bits);
        return path;
    }
}
