using System.Text;
using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// OpenSSH private key parsing. Input that starts with <c>-----BEGIN</c> goes through
/// <see cref="SshPrivateKey.Parse"/> as PEM text (openssh-key-v1, PKCS#8, SEC1, PKCS#1); anything else is the
/// decoded openssh-key-v1 container itself, which is where the fuzzer does best. An accepted key must sign
/// verifiably and survive re-export. Only <see cref="FormatException"/> is expected from parsing.
/// </summary>
internal sealed class PrivateKeyTarget : IFuzzTarget
{
    private static readonly byte[] Message = "fuzz"u8.ToArray();

    public string Name => "privkey";

    public void Run(ReadOnlySpan<byte> data)
    {
        SshPrivateKey key;
        try
        {
            key = data.StartsWith("-----BEGIN"u8)
                ? SshPrivateKey.Parse(Encoding.UTF8.GetString(data))
                : OpenSshPrivateKeyFormat.Read(data);
        }
        catch (FormatException)
        {
            return;
        }

        using (key)
        {
            FuzzInvariantException.Check(key.PublicKey.Verify(Message, key.Sign(Message)), "an accepted private key makes signatures that do not verify");
            using var reread = SshPrivateKey.Parse(key.ToOpenSshPem("fuzz"));
            FuzzInvariantException.Check(reread.PublicKey.Equals(key.PublicKey), "OpenSSH PEM round-trip changed the key");
            using var pkcs8 = SshPrivateKey.Parse(key.ToPkcs8Pem());
            FuzzInvariantException.Check(pkcs8.PublicKey.Equals(key.PublicKey), "PKCS#8 round-trip changed the key");
        }
    }
}
