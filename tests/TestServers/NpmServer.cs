using System.Diagnostics;
using System.Net.Sockets;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// A Node.js test server from tests/TestServers/npm (dynalite, Azurite, s3rver; ./test.sh installs them), run with
/// node on loopback with its data in a temp dir. It can be stopped and started again on the same ports and data, so
/// that tests can take the server away in the middle and check recovery.
/// </summary>
public abstract class NpmServer : IRestartableServer
{
    private ServerProcess? _server;

    protected TempDirectory DataDir { get; } = new("teleport-npm-");

    /// <summary>The script, relative to node_modules, and its arguments.</summary>
    protected abstract (string Script, IReadOnlyList<string> Arguments) Command();

    /// <summary>The ports that must accept connections before the server counts as up.</summary>
    protected abstract IReadOnlyList<int> Ports { get; }

    public async Task InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        var (script, arguments) = Command();
        var path = Path.Combine(ModulesDirectory(), script);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} not found: run `npm install --prefix tests/TestServers/npm` (./test.sh does)");
        }

        _server = ServerProcess.Start("node", [path, .. arguments]);
        await WaitUntilListeningAsync();
    }

    /// <summary>Stops the server by its process id; its data stays for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(_server.Pid, Native.SigTerm);
            _server.Dispose();
            _server = null;
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        DataDir.Dispose();
    }

    private static string ModulesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "TestServers", "npm", "node_modules");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/TestServers/npm/node_modules not found above " + AppContext.BaseDirectory + ": run ./test.sh or npm install there");
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in Ports)
        {
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    break;
                }
                catch (SocketException)
                {
                }

                if (_server!.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException($"{GetType().Name} did not listen on {port}:\n{_server.Output}");
                }

                await Task.Delay(50);
            }
        }
    }
}
