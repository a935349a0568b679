using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>An SSH private key that can sign and be stored as OpenSSH or PKCS#8 PEM.</summary>
public abstract class SshPrivateKey : IDisposable
{
    private bool _disposed;

    // private protected: the set of key types is closed, parsing decides the concrete type.
    private protected SshPrivateKey()
    {
    }

    public abstract SshPublicKey PublicKey { get; }

    /// <summary>The signature algorithm <see cref="Sign(ReadOnlySpan{byte})"/> uses (RSA: rsa-sha2-512).</summary>
    public virtual string DefaultSignatureAlgorithm => PublicKey.Algorithm;

    public static SshPrivateKey Generate(SshKeyType type) => type switch
    {
        SshKeyType.Ed25519 => Ed25519PrivateKey.Generate(),
        SshKeyType.EcdsaP256 => EcdsaPrivateKey.Generate(EcdsaCurve.P256),
        SshKeyType.EcdsaP384 => EcdsaPrivateKey.Generate(EcdsaCurve.P384),
        SshKeyType.EcdsaP521 => EcdsaPrivateKey.Generate(EcdsaCurve.P521),
        SshKeyType.Rsa => RsaPrivateKey.Generate(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown key type."),
    };

    /// <summary>
    /// Reads an unencrypted private key: OpenSSH (openssh-key-v1), PKCS#8 "PRIVATE KEY",
    /// SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY". Throws <see cref="FormatException"/> otherwise.
    /// </summary>
    public static SshPrivateKey Parse(string pem) => PrivateKeyPem.Parse(pem);

    /// <summary>Signs with <see cref="DefaultSignatureAlgorithm"/> and returns an SSH signature blob.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => Sign(data, DefaultSignatureAlgorithm);

    /// <summary>
    /// Signs with a named algorithm and returns an SSH signature blob (<c>string alg, string sig</c>).
    /// RSA keys accept rsa-sha2-256 and rsa-sha2-512; other keys only their own algorithm.
    /// </summary>
    public byte[] Sign(ReadOnlySpan<byte> data, string signatureAlgorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SignCore(data, signatureAlgorithm);
    }

    /// <summary>The key as ssh-keygen writes it: openssh-key-v1, unencrypted, base64 wrapped at 70 columns.</summary>
    public string ToOpenSshPem(string comment = "")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return OpenSshPrivateKeyFormat.Write(this, comment ?? "");
    }

    /// <summary>Unencrypted PKCS#8 ("PRIVATE KEY"); Ed25519 as RFC 8410.</summary>
    public string ToPkcs8Pem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var der = ExportPkcs8();
        try
        {
            return new string(PemEncoding.Write("PRIVATE KEY", der)) + "\n";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>DER SubjectPublicKeyInfo of the public key (for X.509 certificates).</summary>
    public byte[] ExportSubjectPublicKeyInfo() => PublicKey.ExportSubjectPublicKeyInfo();

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            DisposeCore();
        }

        GC.SuppressFinalize(this);
    }

    private protected abstract byte[] SignCore(ReadOnlySpan<byte> data, string signatureAlgorithm);

    /// <summary>Writes the openssh-key-v1 private fields that follow the key type name.</summary>
    internal abstract void WriteOpenSshPrivateFields(SshWriter writer);

    internal abstract byte[] ExportPkcs8();

    private protected abstract void DisposeCore();
}
