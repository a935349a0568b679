using System.Diagnostics;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>The OpenSSH client tools (ssh, scp, sftp) run against a node with a key and certificate from tctl.</summary>
internal static class OpenSsh
{
    private static readonly string[] CommonOptions =
    [
        "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR",
        "-o", "IdentitiesOnly=yes",
        "-o", "ConnectTimeout=20",
    ];

    public static Task<CommandResult> Ssh(string key, int port, string login, string[] command, string? stdin = null, bool tty = false) =>
        Run("ssh", [.. CommonOptions, "-i", key, "-p", Port(port), .. tty ? new[] { "-tt" } : ["-T"], $"{login}@127.0.0.1", .. command], stdin);

    public static Task<CommandResult> Scp(string key, int port, string from, string to) =>
        Run("scp", [.. CommonOptions, "-q", "-i", key, "-P", Port(port), from, to], null);

    public static Task<CommandResult> Sftp(string key, int port, string login, string batch) =>
        Run("sftp", [.. CommonOptions, "-q", "-i", key, "-P", Port(port), "-b", "-", $"{login}@127.0.0.1"], batch);

    /// <summary>Starts ssh without waiting for it (a session that stays open); the caller kills it by its id.</summary>
    public static Process StartSsh(string key, int port, string login, string[] command)
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = [.. CommonOptions, "-i", key, "-p", Port(port), "-T", $"{login}@127.0.0.1", .. command];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public static async Task<CommandResult> Run(string program, string[] args, string? stdin, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish: {string.Join(' ', args)}");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
