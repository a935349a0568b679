using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// <see cref="SshPublicKey.FromBlob"/> on arbitrary bytes. An accepted key must have a stable canonical blob that
/// survives the authorized_keys round-trip, and verifying a signature of the right shape must answer without throwing.
/// Only <see cref="FormatException"/> is expected from parsing.
/// </summary>
internal sealed class PublicKeyTarget : IFuzzTarget
{
    private static readonly byte[] Message = "fuzz"u8.ToArray();

    public string Name => "pubkey";

    public void Run(ReadOnlySpan<byte> data)
    {
        SshPublicKey key;
        try
        {
            key = SshPublicKey.FromBlob(data);
        }
        catch (FormatException)
        {
            return;
        }

        // Blob is the canonical encoding, not always the input: like OpenSSH, mpints with extra leading zero bytes
        // are accepted and re-encoded minimally. Canonical must mean stable.
        FuzzInvariantException.Check(SshPublicKey.FromBlob(key.Blob).Blob.AsSpan().SequenceEqual(key.Blob), "Blob is not canonical");
        var reparsed = SshPublicKey.Parse(key.ToAuthorizedKeysLine("fuzz"));
        FuzzInvariantException.Check(reparsed.Equals(key) && reparsed.Fingerprint == key.Fingerprint, "authorized_keys round-trip changed the key");
        _ = key.ToString();
        key.Verify(Message, BogusSignature(key));
        key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>A well-formed signature blob for the key's algorithm, so verification reaches the cryptography.</summary>
    private static byte[] BogusSignature(SshPublicKey key) => key switch
    {
        RsaPublicKey rsa => SshSignatureBlob.Encode(SshAlgorithmNames.RsaSha256, Filled((rsa.KeySize + 7) / 8)),
        EcdsaPublicKey ecdsa => EcdsaPublicKey.EncodeSignature(ecdsa.Curve, Filled(2 * ecdsa.Curve.FieldSize)),
        _ => SshSignatureBlob.Encode(key.Algorithm, Filled(64)),
    };

    private static byte[] Filled(int length)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)0x5a);
        return bytes;
    }
}
