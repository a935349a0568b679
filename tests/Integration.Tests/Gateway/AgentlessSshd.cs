using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// A real OpenSSH sshd on a free loopback port that trusts the cluster's user CA: an agentless node. It runs in
/// its own temp directory and is stopped by its process id.
/// </summary>
internal sealed class AgentlessSshd : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    private AgentlessSshd(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The plain host key line, for the client's known_hosts.</summary>
    public string HostKeyLine { get; private set; } = "";

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

    /// <summary>
    /// An sshd trusting the cluster's user CA, registered with <c>tctl create</c> as agentless node
    /// <paramref name="hostname"/> (label env=itest); its node resource file is written to <paramref name="directory"/>.
    /// </summary>
    public static async Task<AgentlessSshd> StartRegisteredAsync(TeleportServer server, string hostname, string directory)
    {
        var client = server.AdminClient(out var channel);
        string[] userCa;
        using (channel)
        {
            userCa = (await client.ExportAuthoritiesAsync(new Contracts.Api.ExportAuthoritiesRequest { Type = "user" })).Text.Split(' ');
        }

        var sshd = await StartAsync($"{userCa[1]} {userCa[2]}");
        var node = Path.Combine(directory, $"{hostname}.node.yaml");
        await File.WriteAllTextAsync(node, $"""
            kind: node
            sub_kind: openssh
            version: v2
            metadata:
              name: {Guid.NewGuid()}
              labels:
                env: itest
            spec:
              addr: 127.0.0.1:{sshd.Port}
              hostname: {hostname}

            """);
        (await server.Tctl("create", node)).EnsureSuccess();
        return sshd;
    }

    public static async Task<AgentlessSshd> StartAsync(string userCaKeyLine)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("gateway-sshd-").FullName;
        var sshd = new AgentlessSshd(directory, FreePorts.Take(1)[0]);
        try
        {
            await sshd.Start(userCaKeyLine);
            return sshd;
        }
        catch
        {
            await sshd.DisposeAsync();
            throw;
        }
    }

    private async Task Start(string userCaKeyLine)
    {
        var hostKey = Path.Combine(Directory, "host_ed25519");
        await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey);
        HostKeyLine = string.Join(' ', (await File.ReadAllTextAsync(hostKey + ".pub")).Split(' ').Take(2));
        await File.WriteAllTextAsync(Path.Combine(Directory, "user_ca.pub"), userCaKeyLine + "\n");
        var config = Path.Combine(Directory, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            ListenAddress 127.0.0.1
            Port {Port}
            HostKey {hostKey}
            PidFile {Path.Combine(Directory, "sshd.pid")}
            TrustedUserCAKeys {Path.Combine(Directory, "user_ca.pub")}
            AuthorizedKeysFile none
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PermitRootLogin yes
            MaxStartups 50:30:100

            """);
        var start = new ProcessStartInfo("/usr/sbin/sshd") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await WaitForBanner();
    }

    private async Task WaitForBanner()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException("sshd exited:\n" + Log);
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port, timeout.Token);
                var buffer = new byte[8];
                var read = await tcp.GetStream().ReadAsync(buffer, timeout.Token);
                if (read >= 4 && Encoding.ASCII.GetString(buffer, 0, 4) == "SSH-")
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
