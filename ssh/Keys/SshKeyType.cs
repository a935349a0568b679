namespace Teleport.Orleans.Ssh.Keys;

/// <summary>Key types this library can generate.</summary>
public enum SshKeyType
{
    Ed25519,
    EcdsaP256,
    Rsa,
    EcdsaP384,
    EcdsaP521,
}
