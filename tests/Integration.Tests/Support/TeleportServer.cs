using System.Diagnostics;
using System.Text;

namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>
/// A real <c>teleport start</c> process on loopback and free ports, in its own temporary directory.
/// Stopped by its process id and its directory removed on dispose.
/// </summary>
internal sealed class TeleportServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();
    private int[]? _orleansPorts;

    private TeleportServer(string root, int authPort, int diagPort, string storage, ProxySettings? proxy = null)
    {
        Root = root;
        AuthPort = authPort;
        DiagPort = diagPort;
        Proxy = proxy;
        var proxySection = proxy is null ? "  enabled: false" : proxy.Section(root);
        ConfigPath = Path.Combine(root, "teleport.yaml");
        DataDir = Path.Combine(root, "data");
        File.WriteAllText(ConfigPath, $"""
            version: v3
            teleport:
              nodename: itest
              data_dir: {DataDir}
              diag_addr: 127.0.0.1:{diagPort}
            {storage}
            {proxy?.TeleportExtra ?? ""}
            auth_service:
              enabled: true
              cluster_name: itest.example.com
              listen_addr: 127.0.0.1:{authPort}
              authentication:
                type: local
                second_factor: {proxy?.SecondFactor ?? "otp"}
              proxy_listener_mode: {proxy?.ListenerMode ?? "separate"}
            proxy_service:
            {proxySection}
            ssh_service:
            {proxy?.SshServiceSection() ?? "  enabled: false"}
            {proxy?.AppServiceSection ?? ""}
            """);
    }

    public string Root { get; }

    public string ConfigPath { get; }

    public string DataDir { get; }

    public int AuthPort { get; }

    /// <summary>The Orleans silo-to-silo port of the running process.</summary>
    public int SiloPort => _orleansPorts![0];

    /// <summary>The Orleans gateway (client) port of the running process.</summary>
    public int GatewayPort => _orleansPorts![1];

    public int DiagPort { get; }

    /// <summary>The proxy service's ports when it runs (see <see cref="StartWithProxyAsync"/>).</summary>
    public ProxySettings? Proxy { get; }

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

    /// <param name="storage">A <c>storage:</c> section for the <c>teleport:</c> block, indented by two spaces; none keeps SQLite.</param>
    /// <param name="environment">Extra environment variables for the process (e.g. TELEPORT_TEST_NODE_TTL).</param>
    public static async Task<TeleportServer> StartAsync(string storage = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "teleport-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var ports = FreePorts.Take(2);
        var server = new TeleportServer(root, ports[0], ports[1], storage) { _environment = environment ?? new Dictionary<string, string>() };
        await server.RestartAsync();
        return server;
    }

    /// <summary>An all-in-one server with the proxy service on loopback ports.</summary>
    public static async Task<TeleportServer> StartWithProxyAsync(ProxySettings proxy, IReadOnlyDictionary<string, string>? environment = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "teleport-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var ports = FreePorts.Take(2);
        var server = new TeleportServer(root, ports[0], ports[1], "", proxy) { _environment = environment ?? new Dictionary<string, string>() };
        await server.RestartAsync();
        return server;
    }

    /// <summary>
    /// Starts (again) on the same data dir and auth port. Orleans gets fresh ports unless
    /// <paramref name="sameOrleansPorts"/>: a production restart keeps its configured silo port, which tells the
    /// cluster that the new process supersedes a killed one.
    /// </summary>
    public async Task RestartAsync(bool sameOrleansPorts = false)
    {
        var orleans = sameOrleansPorts && _orleansPorts is { } previous ? previous : FreePorts.Take(2);
        _orleansPorts = orleans;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["TELEPORT_SILO_PORT"] = orleans[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["TELEPORT_GATEWAY_PORT"] = orleans[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in new[] { Repository.TeleportDll, "start", "--config", ConfigPath })
        {
            start.ArgumentList.Add(arg);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Capture(e.Data, ready);
        process.ErrorDataReceived += (_, e) => Capture(e.Data, ready);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("teleport exited before it was ready:\n" + Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>Waits until the process has printed <paramref name="text"/>; output arrives line by line after readiness.</summary>
    public async Task WaitForOutput(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>SIGTERM and wait: a graceful stop, in which the silo leaves the cluster's membership table.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            global::Teleport.Orleans.TestServers.Native.Signal(process.Id, global::Teleport.Orleans.TestServers.Native.SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"teleport did not exit within 60 s of SIGTERM. Its output:\n{Output}");
            }
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>A gRPC client of the auth API with the admin identity the server wrote to its data dir.</summary>
    public global::Teleport.Orleans.Contracts.Api.AuthService.AuthServiceClient AdminClient(out Grpc.Net.Client.GrpcChannel channel) =>
        global::Teleport.Orleans.AuthClient.AuthClientFactory.Create($"127.0.0.1:{AuthPort}", global::Teleport.Orleans.AuthClient.IdentityFile.Load(Path.Combine(DataDir, "admin.identity")), out channel);

    public Task<CommandResult> Tctl(params string[] args) => Dotnet.Run(Repository.TctlDll, ["--config", ConfigPath, .. args]);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private void Capture(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Auth service is running.", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}
