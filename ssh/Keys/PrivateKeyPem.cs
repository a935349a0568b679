using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>Dispatches a PEM private key to the right decoder by its label.</summary>
internal static class PrivateKeyPem
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    public static SshPrivateKey Parse(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);

        // Legacy OpenSSL encryption puts RFC 1421 headers inside the block, which RFC 7468 parsing rejects.
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new FormatException("The PEM private key is encrypted; encrypted keys are not supported.");
        }

        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException("No PEM private key block found.");
        }

        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        try
        {
            return label switch
            {
                OpenSshPrivateKeyFormat.PemLabel => OpenSshPrivateKeyFormat.Read(der),
                "PRIVATE KEY" => ReadPkcs8(der),
                "EC PRIVATE KEY" => ImportEcdsa(der, (e, d) => e.ImportECPrivateKey(d, out _)),
                "RSA PRIVATE KEY" => ImportRsa(der, (r, d) => r.ImportRSAPrivateKey(d, out _)),
                "ENCRYPTED PRIVATE KEY" => throw new FormatException("The PKCS#8 private key is encrypted; encrypted keys are not supported."),
                _ => throw new FormatException($"Unsupported PEM label '{label}' for a private key."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static SshPrivateKey ReadPkcs8(byte[] der)
    {
        string oid;
        ReadOnlyMemory<byte> privateKeyField;
        try
        {
            // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey, ... }
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            var algorithm = info.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            privateKeyField = info.ReadOctetString();
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("Malformed PKCS#8 private key.", ex);
        }

        return oid switch
        {
            RsaOid => ImportRsa(der, (r, d) => r.ImportPkcs8PrivateKey(d, out _)),
            EcPublicKeyOid => ImportEcdsa(der, (e, d) => e.ImportPkcs8PrivateKey(d, out _)),
            Ed25519PublicKey.Oid => WrapAsn(() => Ed25519PrivateKey.FromPkcs8PrivateKeyField(privateKeyField)),
            _ => throw new FormatException($"Unsupported PKCS#8 key algorithm {oid}."),
        };
    }

    private static SshPrivateKey ImportEcdsa(byte[] der, Action<ECDsa, byte[]> import)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            import(ecdsa, der);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            // OpenSSL reports a curve OID it does not know as PlatformNotSupportedException (found by fuzzing).
            ecdsa.Dispose();
            throw new FormatException("Invalid EC private key.", ex);
        }

        return EcdsaPrivateKey.FromEcdsa(ecdsa);
    }

    private static SshPrivateKey ImportRsa(byte[] der, Action<RSA, byte[]> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa, der);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new FormatException("Invalid RSA private key.", ex);
        }

        return RsaPrivateKey.FromRsa(rsa);
    }

    private static SshPrivateKey WrapAsn(Func<SshPrivateKey> read)
    {
        try
        {
            return read();
        }
        catch (AsnContentException ex)
        {
            throw new FormatException("Malformed PKCS#8 private key.", ex);
        }
    }
}
