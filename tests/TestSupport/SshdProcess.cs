using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Teleport.Orleans.TestSupport;

/// <summary>
/// OpenSSH's sshd in the foreground (<c>-D -e</c>) with a test's own sshd_config, on a free loopback port: started
/// when it logs "Server listening on" (another port is tried if the probed one was taken), its log kept, and
/// stopped by its process id on dispose.
/// </summary>
public sealed class SshdProcess : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/sshd";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly StringBuilder _log = new();
    private Process? _process;

    private SshdProcess()
    {
    }

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

    /// <summary>Starts sshd with <paramref name="configPath"/>; the port is given on the command line.</summary>
    public static async Task<SshdProcess> StartAsync(string configPath)
    {
        Directory.CreateDirectory("/run/sshd"); // sshd's privilege separation directory
        var sshd = new SshdProcess();
        for (var attempt = 0; attempt < 3 && sshd._process is null; attempt++)
        {
            await sshd.TryStartAsync(configPath);
        }

        return sshd._process is null ? throw new InvalidOperationException("sshd did not start:\n" + sshd.Log) : sshd;
    }

    /// <summary>Waits until sshd has logged <paramref name="text"/>.</summary>
    public Task WaitForLogAsync(string text) =>
        Eventually.Until(() => Log.Contains(text, StringComparison.Ordinal), TimeSpan.FromSeconds(20), $"sshd to log '{text}'. Log:\n{Log}");

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
    }

    private async Task TryStartAsync(string configPath)
    {
        Port = FreePort();
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-D", "-e", "-f", configPath, "-p", Port.ToString(CultureInfo.InvariantCulture) })
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
        if (await listening.Task.WaitAsync(StartTimeout))
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
