using System.Diagnostics;
using System.Text;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// A real <c>teleport start</c> with only proxy_service: it joins the auth process with a Proxy token and reaches the
/// auth pool as an Orleans client, finding the silos through the auth API alone (no backend credentials). Stopped by its process id; its directory is removed.
/// </summary>
internal sealed class ProxyOnlyProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();

    private ProxyOnlyProcess(string root, ProxySettings? ports)
    {
        Root = root;
        Ports = ports ?? new ProxySettings();
    }

    public string Root { get; }

    public ProxySettings Ports { get; }

    /// <summary>teleport.diag_addr's port (metrics).</summary>
    public int DiagPort { get; } = FreePorts.Take(1)[0];

    public string DataDir => Path.Combine(Root, "data");

    public Task Ready => _ready.Task;

    /// <summary>The exit code once the process has exited.</summary>
    public Task<int> Exited => _exited.Task;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the process without waiting for it to become ready (see <see cref="Ready"/>).</summary>
    /// <param name="storage">
    /// Normally empty: a proxy needs only the auth server's address. A <c>storage:</c> section (indented by two spaces)
    /// shows that the proxy ignores one.
    /// </param>
    /// <param name="ports">The proxy_service settings; default free ports and nothing extra.</param>
    /// <param name="environment">Extra environment variables for the process (e.g. SSL_CERT_FILE).</param>
    public static ProxyOnlyProcess Start(int authPort, string token, string nodeName = "proxy-1", string storage = "",
        ProxySettings? ports = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var proxy = new ProxyOnlyProcess(Directory.CreateTempSubdirectory("teleport-proxy-").FullName, ports)
        {
            _environment = environment ?? new Dictionary<string, string>(),
        };
        proxy.WriteConfig(authPort, storage, token, nodeName);
        proxy.Launch();
        return proxy;
    }

    /// <summary>Kills the process (SIGKILL) and starts it again on the same data dir and ports.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            _output.Clear();
        }

        Launch();
    }

    /// <summary>SIGTERM: the proxy drains and exits on its own (see <see cref="Exited"/>).</summary>
    public void Terminate() =>
        global::Teleport.Orleans.TestServers.Native.Signal(_process!.Id, global::Teleport.Orleans.TestServers.Native.SigTerm);

    public async Task WaitReady() => await _ready.Task.WaitAsync(TimeSpan.FromSeconds(90));

    private void WriteConfig(int authPort, string storage, string token, string nodeName) =>
        File.WriteAllText(Path.Combine(Root, "teleport.yaml"), $"""
            version: v3
            teleport:
              nodename: {nodeName}
              data_dir: {DataDir}
              auth_server: 127.0.0.1:{authPort}
              auth_token: {token}
              diag_addr: 127.0.0.1:{DiagPort}
            {storage}
            auth_service:
              enabled: false
              proxy_listener_mode: separate
            proxy_service:
            {Ports.Section(Root)}
            ssh_service:
              enabled: false
            """);

    private void Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in new[] { Repository.TeleportDll, "start", "--config", Path.Combine(Root, "teleport.yaml") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        var ready = _ready;
        var exited = _exited;
        process.Exited += (_, _) =>
        {
            // Exited can fire before the last output lines are read; this wait drains them.
            process.WaitForExit();
            ready.TrySetException(new InvalidOperationException("the proxy exited before it was ready:\n" + Output));
            exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Proxy service is running", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
