using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
    private readonly StringBuilder _log = new();
    private readonly TempDirectory _directory = new();
    private Process? _process;

    public int Port { get; private set; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<NodeSshd> StartAsync(SshPrivateKey hostCa, SshPublicKey userCa, string cluster)
    {
        var node = new NodeSshd();
        try
        {
            node.WriteConfig(hostCa, userCa, cluster);
            for (var attempt = 0; attempt < 3 && node._process is null; attempt++)
            {
                await node.TryStartAsync();
            }

            return node._process is null ? throw new InvalidOperationException("sshd did not start:\n" + node.Log) : node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _directory.Dispose();
    }

    private void WriteConfig(SshPrivateKey hostCa, SshPublicKey userCa, string cluster)
    {
        Directory.CreateDirectory("/run/sshd");
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

    private async Task TryStartAsync()
    {
        Port = FreePort();
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", _directory.File("sshd_config"), "-p", Port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start sshd.");
        var listening = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetResult(false);
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (e.Data.Contains("Server listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult(true);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (await listening.Task.WaitAsync(TimeSpan.FromSeconds(20)))
        {
            _process = process;
            return;
        }

        // The probed port was most likely taken before sshd bound it: the caller tries another.
        await process.WaitForExitAsync();
        process.Dispose();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
