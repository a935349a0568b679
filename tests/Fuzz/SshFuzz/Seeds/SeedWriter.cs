using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Fuzz.Seeds;

/// <summary>
/// Seed inputs built with the library itself (tests/Fuzz/make-seeds.sh adds those made by ssh-keygen, ssh and sshd):
/// valid messages, keys and certificates of every supported type, so the fuzzer starts deep inside each parser.
/// RSA keys are 1024-bit to keep the seeds small.
/// </summary>
internal static class SeedWriter
{
    public static async Task WriteAllAsync(string root)
    {
        using var ed25519 = Ed25519PrivateKey.Generate();
        using var p256 = EcdsaPrivateKey.Generate(EcdsaCurve.P256);
        using var p521 = EcdsaPrivateKey.Generate(EcdsaCurve.P521);
        using var rsa = RsaPrivateKey.Generate(1024);
        using var ca = Ed25519PrivateKey.Generate();
        using var rsaCa = RsaPrivateKey.Generate(1024);
        SshPrivateKey[] keys = [ed25519, p256, p521, rsa];

        var files = new Dictionary<string, byte[]>();
        AddPackets(files);
        AddKexInits(files);
        foreach (var key in keys)
        {
            var type = key.PublicKey.Algorithm;
            files[$"pubkey/gen-{type}"] = key.PublicKey.Blob;
            files[$"privkey/gen-{type}.bin"] = Pem(key.ToOpenSshPem("seed"));
            files[$"privkey/gen-{type}.pkcs8"] = Encoding.ASCII.GetBytes(key.ToPkcs8Pem());
            files[$"cert/gen-{type}-user"] = UserCertificate(key.PublicKey, key == rsa ? rsaCa : ca).Blob;
            AddUserAuth(files, key, ca);
        }

        files["cert/gen-ed25519-host"] = new SshCertificateBuilder
        {
            PublicKey = ed25519.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "host",
            Principals = ["localhost", "127.0.0.1"],
        }.Sign(p256).Blob;

        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(root, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
        }

        Console.WriteLine($"wrote {files.Count} seed files under {root}");
    }

    private static SshCertificate UserCertificate(SshPublicKey key, SshPrivateKey ca) => new SshCertificateBuilder
    {
        PublicKey = key,
        KeyId = "alice@example",
        Principals = ["alice", "root"],
        Serial = 42,
        ValidAfter = FixedClock.Now.AddDays(-1),
        ValidBefore = FixedClock.Now.AddYears(10),
        CriticalOptions = new Dictionary<string, string>
        {
            [SshCertificateOptionNames.ForceCommand] = "/bin/true",
            [SshCertificateOptionNames.SourceAddress] = "127.0.0.1/32,::1",
        },
        Extensions = new Dictionary<string, string> { ["permit-pty"] = "", ["permit-port-forwarding"] = "" },
    }.Sign(ca);

    /// <summary>Plain packet streams: byte 0 picks the read size (see PacketTarget), then framed payloads.</summary>
    private static void AddPackets(Dictionary<string, byte[]> files)
    {
        var writer = new PacketWriter();
        byte[][] payloads =
        [
            new SshWriter().WriteByte(SshMessage.Ignore).WriteString("padding").ToArray(),
            new SshWriter().WriteByte(SshMessage.Debug).WriteBoolean(true).WriteString("hello").WriteString("").ToArray(),
            new SshWriter().WriteByte(SshMessage.ServiceRequest).WriteString("ssh-userauth").ToArray(),
            new SshWriter().WriteByte(SshMessage.Disconnect).WriteUInt32(11).WriteString("bye").WriteString("").ToArray(),
        ];
        var stream = new MemoryStream();
        foreach (var payload in payloads)
        {
            stream.Write(writer.Frame(payload).Span);
        }

        files["packet/gen-four-whole"] = [0, .. stream.ToArray()];
        files["packet/gen-four-bytewise"] = [1, .. stream.ToArray()];
        files["packet/gen-four-7"] = [5, .. stream.ToArray()];
        files["packet/gen-large"] = [9, .. writer.Frame(new byte[16400]).Span];
    }

    private static void AddKexInits(Dictionary<string, byte[]> files)
    {
        var ours = new KexInitMessage
        {
            KeyExchange = ["curve25519-sha256", "ecdh-sha2-nistp256", KexInitMessage.ExtInfoClient, KexInitMessage.StrictKexClient],
            HostKey = ["ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "rsa-sha2-512"],
            CiphersClientToServer = ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr"],
            CiphersServerToClient = ["aes128-ctr", "aes256-gcm@openssh.com"],
            MacsClientToServer = ["hmac-sha2-256-etm@openssh.com", "hmac-sha2-512"],
            MacsServerToClient = ["hmac-sha2-512"],
            CompressionClientToServer = ["none", "zlib@openssh.com"],
            CompressionServerToClient = ["none"],
            FirstKexPacketFollows = true,
        };
        files["kexinit/gen-guess"] = ours.Encode();
    }

    private static void AddUserAuth(Dictionary<string, byte[]> files, SshPrivateKey key, SshPrivateKey ca)
    {
        var type = key.PublicKey.Algorithm;
        var signatureAlgorithm = key.DefaultSignatureAlgorithm;
        files[$"userauth/gen-{type}-query"] = Request(signatureAlgorithm, key.PublicKey.Blob, null);
        files[$"userauth/gen-{type}-signed"] = Request(signatureAlgorithm, key.PublicKey.Blob, key);
        if (key.PublicKey.Algorithm != SshAlgorithmNames.Rsa)
        {
            var certificate = UserCertificate(key.PublicKey, ca);
            files[$"userauth/gen-{type}-cert-signed"] = Request(signatureAlgorithm + CertificateAlgorithms.Suffix, certificate.Blob, key);
        }

        files["userauth/gen-none"] = new SshWriter().WriteByte(SshMessage.UserAuthRequest)
            .WriteString(UserAuthHarness.AcceptedUser).WriteString("ssh-connection").WriteString("none").ToArray();
        files["userauth/gen-password"] = new SshWriter().WriteByte(SshMessage.UserAuthRequest)
            .WriteString(UserAuthHarness.AcceptedUser).WriteString("ssh-connection").WriteString("password")
            .WriteBoolean(false).WriteString("secret").ToArray();
    }

    /// <summary>A publickey request; signed over RFC 4252 §7's data with the harness transport's empty session id.</summary>
    private static byte[] Request(string algorithm, byte[] blob, SshPrivateKey? signer)
    {
        var body = new SshWriter()
            .WriteString(UserAuthHarness.AcceptedUser)
            .WriteString("ssh-connection")
            .WriteString("publickey")
            .WriteBoolean(signer is not null)
            .WriteString(algorithm)
            .WriteString(blob);
        var request = new SshWriter().WriteByte(SshMessage.UserAuthRequest).WriteRaw(body.WrittenSpan);
        if (signer is not null)
        {
            var signed = new SshWriter().WriteString([]).WriteByte(SshMessage.UserAuthRequest).WriteRaw(body.WrittenSpan);
            var signatureAlgorithm = algorithm.EndsWith(CertificateAlgorithms.Suffix, StringComparison.Ordinal)
                ? algorithm[..^CertificateAlgorithms.Suffix.Length]
                : algorithm;
            request.WriteString(signer.Sign(signed.WrittenSpan, signatureAlgorithm));
        }

        return request.ToArray();
    }

    private static byte[] Pem(string pem) =>
        Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal))));
}
