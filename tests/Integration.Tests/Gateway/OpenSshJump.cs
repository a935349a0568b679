using System.Diagnostics;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// The real OpenSSH client with <c>-J</c> through the gateway: a config file (the jump process reads it too) with
/// the user's key and certificate and a known_hosts that trusts the cluster's host CA.
/// </summary>
internal sealed class OpenSshJump
{
    private readonly string _config;

    public OpenSshJump(string directory, string keyPath, string login, string knownHosts)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Named after the key, so clients of several users in one directory do not overwrite each other's files.
        var suffix = Path.GetFileName(keyPath);
        var known = Path.Combine(directory, $"known_hosts.{suffix}");
        File.WriteAllText(known, knownHosts);
        _config = Path.Combine(directory, $"ssh_config.{suffix}");
        File.WriteAllText(_config, $"""
            Host *
              User {login}
              IdentityFile {keyPath}
              CertificateFile {keyPath}-cert.pub
              IdentitiesOnly yes
              UserKnownHostsFile {known}
              GlobalKnownHostsFile /dev/null
              StrictHostKeyChecking yes
              BatchMode yes
              ConnectTimeout 20
              LogLevel ERROR

            """);
    }

    public string ConfigPath => _config;

    public Task<CommandResult> Run(int proxyPort, string target, int targetPort, string command, params string[] options) =>
        Exec("ssh", ["-F", _config, "-J", $"127.0.0.1:{proxyPort}", "-p", targetPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options, target, command]);

    private static async Task<CommandResult> Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
