namespace Teleport.Orleans.Ssh.Keys;

/// <summary>SSH algorithm names for keys and signatures (RFC 4253, RFC 5656, RFC 8332, RFC 8709).</summary>
public static class SshAlgorithmNames
{
    public const string Ed25519 = "ssh-ed25519";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    public const string EcdsaP384 = "ecdsa-sha2-nistp384";
    public const string EcdsaP521 = "ecdsa-sha2-nistp521";
    public const string Rsa = "ssh-rsa";
    public const string RsaSha256 = "rsa-sha2-256";
    public const string RsaSha512 = "rsa-sha2-512";

    /// <summary>True for the plain (non-certificate) public key algorithms this library understands.</summary>
    public static bool IsKnownKeyAlgorithm(string algorithm) =>
        algorithm is Ed25519 or EcdsaP256 or EcdsaP384 or EcdsaP521 or Rsa;
}
