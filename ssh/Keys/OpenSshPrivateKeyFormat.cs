using System.Security.Cryptography;
using System.Text;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>
/// The openssh-key-v1 container (PROTOCOL.key in openssh-portable), unencrypted only:
/// magic, cipher "none", kdf "none", one public key, then a private section padded to 8 bytes.
/// </summary>
internal static class OpenSshPrivateKeyFormat
{
    public const string PemLabel = "OPENSSH PRIVATE KEY";
    private const int BlockSize = 8; // cipher "none"
    private const int LineWidth = 70; // what ssh-keygen writes
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("openssh-key-v1\0");

    public static string Write(SshPrivateKey key, string comment)
    {
        var section = new SshWriter(1024);
        var check = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        section.WriteUInt32(check).WriteUInt32(check);
        section.WriteString(key.PublicKey.Algorithm);
        key.WriteOpenSshPrivateFields(section);
        section.WriteString(comment);
        for (byte pad = 1; section.Length % BlockSize != 0; pad++)
        {
            section.WriteByte(pad);
        }

        var writer = new SshWriter(section.Length + 256)
            .WriteRaw(Magic)
            .WriteString("none")
            .WriteString("none")
            .WriteString([])
            .WriteUInt32(1)
            .WriteString(key.PublicKey.BlobSpan)
            .WriteString(section);

        var base64 = Convert.ToBase64String(writer.WrittenSpan);
        var text = new StringBuilder();
        text.Append("-----BEGIN ").Append(PemLabel).Append("-----\n");
        for (var i = 0; i < base64.Length; i += LineWidth)
        {
            text.Append(base64, i, Math.Min(LineWidth, base64.Length - i)).Append('\n');
        }

        text.Append("-----END ").Append(PemLabel).Append("-----\n");
        return text.ToString();
    }

    public static SshPrivateKey Read(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith(Magic))
        {
            throw new FormatException("Not an openssh-key-v1 private key (bad magic).");
        }

        var reader = new SshReader(data[Magic.Length..]);
        var cipher = reader.ReadUtf8String();
        var kdf = reader.ReadUtf8String();
        reader.ReadString(); // kdf options
        if (cipher != "none" || kdf != "none")
        {
            throw new FormatException(
                $"The OpenSSH private key is encrypted (cipher '{cipher}', kdf '{kdf}'); encrypted keys are not supported. " +
                "Remove the passphrase with 'ssh-keygen -p -N \"\" -f <file>'.");
        }

        var count = reader.ReadUInt32();
        if (count != 1)
        {
            throw new FormatException($"The OpenSSH private key file holds {count} keys; exactly one is supported.");
        }

        var publicBlob = reader.ReadString();
        var section = reader.ReadString();
        reader.EnsureEnd("OpenSSH private key");
        var key = ReadSection(section);
        if (!key.PublicKey.BlobSpan.SequenceEqual(publicBlob))
        {
            key.Dispose();
            throw new FormatException("The OpenSSH private key does not match the public key stored with it.");
        }

        return key;
    }

    private static SshPrivateKey ReadSection(ReadOnlySpan<byte> section)
    {
        if (section.Length % BlockSize != 0)
        {
            throw new FormatException("The OpenSSH private section is not padded to the block size.");
        }

        var reader = new SshReader(section);
        if (reader.ReadUInt32() != reader.ReadUInt32())
        {
            throw new FormatException("The OpenSSH private key check integers differ (corrupt or wrongly decrypted key).");
        }

        var algorithm = reader.ReadUtf8String();
        SshPrivateKey key = algorithm switch
        {
            SshAlgorithmNames.Ed25519 => Ed25519PrivateKey.FromOpenSsh(ref reader),
            SshAlgorithmNames.Rsa => RsaPrivateKey.FromOpenSsh(ref reader),
            _ when EcdsaCurve.FromAlgorithm(algorithm) is { } curve => EcdsaPrivateKey.FromOpenSsh(curve, ref reader),
            _ => throw new FormatException($"Unsupported OpenSSH private key type '{algorithm}'."),
        };

        try
        {
            reader.ReadUtf8String(); // comment
            for (byte expected = 1; !reader.IsEmpty; expected++)
            {
                if (reader.ReadByte() != expected)
                {
                    throw new FormatException("The OpenSSH private section has invalid padding.");
                }
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }

        return key;
    }
}
