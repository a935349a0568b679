using System.Globalization;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// The real OpenSSH sshd as a child process on 127.0.0.1: Ed25519, ECDSA and RSA host keys, each with a host
/// certificate from <see cref="HostCa"/> for 127.0.0.1 and localhost; user certificates from <see cref="UserCa"/>;
/// plain keys through a temp authorized_keys file; TCP forwarding allowed; sftp as internal-sftp; sshd re-keys every MiB.
/// Logins are as the current user (root in CI). Stopped by PID on dispose.
/// </summary>
internal sealed class OpenSshServer : IAsyncDisposable
{
    private SshdProcess? _sshd;

    private OpenSshServer()
    {
        Directory = new TempDirectory();
        HostKeys = [SshPrivateKey.Generate(SshKeyType.Ed25519), SshPrivateKey.Generate(SshKeyType.EcdsaP256), TestKeys.GetOther(SshKeyType.Rsa)];
    }

    public TempDirectory Directory { get; }

    public int Port => _sshd?.Port ?? 0;

    public static string UserName => Environment.UserName;

    public SshPrivateKey HostCa { get; } = SshPrivateKey.Generate(SshKeyType.Ed25519);

    public SshPrivateKey UserCa { get; } = SshPrivateKey.Generate(SshKeyType.Ed25519);

    public IReadOnlyList<SshPrivateKey> HostKeys { get; }

    public string Log => _sshd?.Log ?? "";

    public static async Task<OpenSshServer> StartAsync()
    {
        var server = new OpenSshServer();
        try
        {
            server.WriteFiles();
            server._sshd = await SshdProcess.StartAsync(server.Directory.File("sshd_config"));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds a plain key to the AuthorizedKeysFile (sshd reads it on every login).</summary>
    public void Authorize(SshPublicKey key) =>
        File.AppendAllText(Directory.File("authorized_keys"), key.ToAuthorizedKeysLine("test") + "\n");

    /// <summary>A user certificate from <see cref="UserCa"/> for the current user, valid for an hour.</summary>
    public SshCertificate IssueUserCertificate(SshPublicKey key) =>
        new SshCertificateBuilder
        {
            PublicKey = key,
            Type = SshCertificateType.User,
            KeyId = "client-test",
            Principals = [UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
            Extensions = new Dictionary<string, string> { ["permit-port-forwarding"] = "", ["permit-pty"] = "" },
        }.Sign(UserCa);

    /// <summary>Waits until sshd logged a line containing <paramref name="text"/> (it logs after the client may have moved on).</summary>
    public Task WaitForLogAsync(string text) => _sshd!.WaitForLogAsync(text);

    public async ValueTask DisposeAsync()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }

        Directory.Dispose();
    }

    private void WriteFiles()
    {
        var config = new StringBuilder()
            .AppendLine("ListenAddress 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"PidFile {Directory.File("sshd.pid")}")
            .AppendLine(CultureInfo.InvariantCulture, $"TrustedUserCAKeys {Directory.Write("user_ca.pub", UserCa.PublicKey.ToAuthorizedKeysLine() + "\n")}")
            .AppendLine(CultureInfo.InvariantCulture, $"AuthorizedKeysFile {Directory.Write("authorized_keys", "")}")
            .AppendLine("StrictModes no")
            .AppendLine("UsePAM no")
            .AppendLine("PermitRootLogin prohibit-password")
            .AppendLine("PasswordAuthentication no")
            .AppendLine("KbdInteractiveAuthentication no")
            .AppendLine("AllowTcpForwarding yes")
            .AppendLine("AcceptEnv GREETING")
            .AppendLine("Subsystem sftp internal-sftp")
            .AppendLine("MaxStartups 100")
            .AppendLine("MaxSessions 20")
            .AppendLine("RekeyLimit 1M")
            .AppendLine("LogLevel VERBOSE");
        for (var i = 0; i < HostKeys.Count; i++)
        {
            var key = HostKeys[i];
            var certificate = new SshCertificateBuilder
            {
                PublicKey = key.PublicKey,
                Type = SshCertificateType.Host,
                KeyId = $"host-{i}",
                Principals = ["127.0.0.1", "localhost"],
                ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
                ValidBefore = DateTimeOffset.UtcNow.AddDays(1),
            }.Sign(HostCa);
            config.AppendLine(CultureInfo.InvariantCulture, $"HostKey {Directory.Write($"host_{i}", key.ToOpenSshPem("host"))}");
            config.AppendLine(CultureInfo.InvariantCulture, $"HostCertificate {Directory.Write($"host_{i}-cert.pub", certificate.ToAuthorizedKeysLine() + "\n")}");
        }

        Directory.Write("sshd_config", config.ToString());
    }
}
