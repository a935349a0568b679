using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>The public key algorithms accepted for user authentication and what each one means.</summary>
internal static class PublicKeyAlgorithms
{
    /// <summary>Signature algorithms, advertised as <c>server-sig-algs</c> so OpenSSH signs RSA keys with SHA-2.</summary>
    public static readonly IReadOnlyList<string> SignatureAlgorithms =
    [
        SshAlgorithmNames.Ed25519,
        SshAlgorithmNames.EcdsaP256,
        SshAlgorithmNames.EcdsaP384,
        SshAlgorithmNames.EcdsaP521,
        SshAlgorithmNames.RsaSha512,
        SshAlgorithmNames.RsaSha256,
    ];

    /// <summary>
    /// For a userauth algorithm name: the type the key blob must have, the signature algorithm the client
    /// must sign with, and whether the blob is a certificate. Null for anything refused (SHA-1 ssh-rsa, sk-*, …).
    /// </summary>
    public static (string BlobType, string SignatureAlgorithm, bool IsCertificate)? Describe(string algorithm)
    {
        if (SignatureAlgorithms.Contains(algorithm))
        {
            return (RsaSignatureToKey(algorithm), algorithm, false);
        }

        if (!algorithm.EndsWith(CertificateAlgorithms.Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var signature = algorithm[..^CertificateAlgorithms.Suffix.Length];
        return SignatureAlgorithms.Contains(signature)
            ? (RsaSignatureToKey(signature) + CertificateAlgorithms.Suffix, signature, true)
            : null;
    }

    private static string RsaSignatureToKey(string signature) =>
        signature is SshAlgorithmNames.RsaSha256 or SshAlgorithmNames.RsaSha512 ? SshAlgorithmNames.Rsa : signature;
}
