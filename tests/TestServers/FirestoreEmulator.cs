using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// Google's Cloud Firestore emulator (the gcloud component <c>cloud-firestore-emulator</c>, Java 17) on a free
/// loopback port, run as <c>java</c> itself so that it is stopped by its own process id. The emulator keeps data in
/// memory only; <see cref="StopAsync"/> exports it first and <see cref="StartAsync"/> seeds from that export, so a
/// stopped and started emulator has the documents it had. Each test uses a collection of its own.
/// </summary>
public sealed class FirestoreEmulator : IRestartableServer, IAsyncDisposable
{
    public const string ProjectId = "teleport-test";

    private const string MainClass = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

    private static readonly Lazy<Task<FirestoreEmulator>> SharedEmulator = new(StartSharedAsync);

    private readonly TempDirectory _dir = new("teleport-firestore-");
    private readonly int _port = FreePorts.Take(1)[0];
    private ServerProcess? _server;
    private string? _seed;

    /// <summary><c>127.0.0.1:PORT</c>, as teleport.yaml's <c>endpoint</c> takes it.</summary>
    public string Endpoint => $"127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How long the last start took, until the emulator answered.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>
    /// One emulator for the whole test run (the process), started on first use and stopped by its pid when the
    /// process exits; tests keep apart by collection.
    /// </summary>
    public static Task<FirestoreEmulator> SharedAsync() => SharedEmulator.Value;

    /// <summary>A collection name that no other test uses.</summary>
    public static string UniqueCollection() => "c-" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        var jar = FindJar();
        List<string> arguments = ["-Duser.language=en", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", jar, MainClass, "--host", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture)];
        if (_seed is not null)
        {
            arguments.AddRange(["--seed_from_export", _seed]);
        }

        var started = Stopwatch.StartNew();
        _server = ServerProcess.Start("java", arguments);
        await WaitUntilReadyAsync();
        StartupTime = started.Elapsed;
    }

    /// <summary>Exports the documents into the temp dir, then stops the emulator by its pid (SIGTERM).</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        var exports = Path.Combine(_dir.Path, "export-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(exports);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
        {
            var body = $$"""{"database":"projects/{{ProjectId}}/databases/(default)","export_directory":"{{exports}}"}""";
            using var response = await http.PostAsync($"http://{Endpoint}/emulator/v1/projects/{ProjectId}:export", new StringContent(body, Encoding.UTF8, "application/json"));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"the Firestore emulator did not export its data: {await response.Content.ReadAsStringAsync()}");
            }
        }

        _seed = Directory.GetFiles(exports, "*.overall_export_metadata", SearchOption.AllDirectories).Single();
        await _server.StopAsync(_server.Pid, Native.SigTerm);
        _server.Dispose();
        _server = null;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync(_server.Pid, Native.SigTerm);
            _server.Dispose();
            _server = null;
        }

        _dir.Dispose();
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>
    /// The emulator's jar: FIRESTORE_EMULATOR_JAR, or the gcloud component beside the <c>gcloud</c> on PATH (the
    /// Debian package google-cloud-cli-firestore-emulator puts it there).
    /// </summary>
    public static string FindJar()
    {
        if (Environment.GetEnvironmentVariable("FIRESTORE_EMULATOR_JAR") is { Length: > 0 } configured)
        {
            return configured;
        }

        var roots = new List<string> { "/usr/lib/google-cloud-sdk" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var gcloud = new FileInfo(Path.Combine(dir, "gcloud"));
            if (gcloud.Exists)
            {
                var target = gcloud.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? gcloud.FullName;
                roots.Insert(0, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, "..")));
            }
        }

        return roots.Select(r => Path.Combine(r, "platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("the Firestore emulator was not found: install google-cloud-cli-firestore-emulator (or `gcloud components install cloud-firestore-emulator`), or set FIRESTORE_EMULATOR_JAR");
    }

    private static async Task<FirestoreEmulator> StartSharedAsync()
    {
        var emulator = new FirestoreEmulator();
        await emulator.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => emulator.DisposeAsync().GetAwaiter().GetResult();
        return emulator;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetStringAsync($"http://{Endpoint}/")).StartsWith("Ok", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (_server!.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"the Firestore emulator did not answer on {Endpoint}:\n{_server.Output}");
            }

            await Task.Delay(100);
        }
    }
}
