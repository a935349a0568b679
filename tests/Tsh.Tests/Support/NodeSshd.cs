using System.Globalization;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>
/// OpenSSH sshd on 127.0.0.1 standing in for a cluster node: a host certificate from the cluster's host CA for
/// "localhost" and "localhost.CLUSTER", user certificates from the cluster's user CA, sftp. Logins are as the
/// current user. Stopped by its process id on dispose.
/// </summary>
internal sealed class NodeSshd : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private SshdProcess? _sshd;

    public int Port => _sshd?.Port ?? 0;

    public string Log => _sshd?.Log ?? "";

    public static async Task<NodeSshd> StartAsync(SshPrivateKey hostCa, SshPublicKey userCa, string cluster)
    {
        var node = new NodeSshd();
        try
        {
            node.WriteConfig(hostCa, userCa, cluster);
            node._sshd = await SshdProcess.StartAsync(node._directory.File("sshd_config"));
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }

        _directory.Dispose();
    }

    private void WriteConfig(SshPrivateKey hostCa, SshPublicKey userCa, string cluster)
    {
        var hostKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        var certificate = new SshCertificateBuilder
        {
            PublicKey = hostKey.PublicKey,
            Type = SshCertificateType.Host,
            KeyId = "node",
            Principals = ["localhost", $"localhost.{cluster}", "127.0.0.1", "web", "db"],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
            ValidBefore = DateTimeOffset.UtcNow.AddDays(1),
        }.Sign(hostCa);
        var config = new StringBuilder()
            .AppendLine("ListenAddress 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"PidFile {_directory.File("sshd.pid")}")
            .AppendLine(CultureInfo.InvariantCulture, $"HostKey {_directory.Write("host", hostKey.ToOpenSshPem("node"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"HostCertificate {_directory.Write("host-cert.pub", certificate.ToAuthorizedKeysLine() + "\n")}")
            .AppendLine(CultureInfo.InvariantCulture, $"TrustedUserCAKeys {_directory.Write("user_ca.pub", userCa.ToAuthorizedKeysLine() + "\n")}")
            .AppendLine("AuthorizedKeysFile none")
            .AppendLine("StrictModes no")
            .AppendLine("UsePAM no")
            .AppendLine("PermitRootLogin prohibit-password")
            .AppendLine("PasswordAuthentication no")
            .AppendLine("KbdInteractiveAuthentication no")
            .AppendLine("Subsystem sftp internal-sftp")
            .AppendLine("MaxStartups 100")
            .AppendLine("LogLevel VERBOSE");
        _directory.Write("sshd_config", config.ToString());
    }
}
