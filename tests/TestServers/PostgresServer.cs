using System.Diagnostics;
using Npgsql;

namespace Teleport.Orleans.TestServers;

/// <summary>
/// A throwaway PostgreSQL server from the Debian package: initdb into a temp dir, listening on 127.0.0.1 at a free
/// port with its socket in that dir, stopped by its postmaster PID. PostgreSQL refuses to run as root, so as root it
/// runs as the login user <c>teleport-test</c> (made by .ci/run) or else Debian's <c>postgres</c>.
/// Each test gets a schema of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Superuser = "postgres";

    private readonly TempDirectory _dir = new("teleport-pg-");
    private ServerProcess? _server;
    private string? _runAs;
    private string _bin = "";

    public int Port { get; private set; }

    private string DataDir => Path.Combine(_dir.Path, "data");

    public async Task InitializeAsync()
    {
        _bin = FindBinDirectory();
        if (Native.IsRoot)
        {
            _runAs = await FindUserAsync("teleport-test") ?? await FindUserAsync("postgres")
                ?? throw new InvalidOperationException("PostgreSQL cannot run as root and no user 'teleport-test' or 'postgres' exists: run .ci/run, or install postgresql");
            await ServerProcess.RunAsync("chown", "-R", _runAs, _dir.Path);
        }

        var started = Stopwatch.StartNew();
        await RunAsAsync(Path.Combine(_bin, "initdb"), "-D", DataDir, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions");
        Port = FreePorts.Take(1)[0];
        await StartAsync();
        StartupTime = started.Elapsed;
    }

    /// <summary>initdb plus start until the first connection, for the report.</summary>
    public TimeSpan StartupTime { get; private set; }

    public string ConnectionString(string schema, string user = Superuser) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Database=postgres;Search Path={schema};Maximum Pool Size=20;Timeout=5";

    /// <summary>A new empty schema, so that a test sees only its own tables and rows.</summary>
    public async Task<string> CreateSchemaAsync()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE SCHEMA {schema}");
        return schema;
    }

    /// <summary>Runs SQL as the superuser.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username={Superuser};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Starts the server on its data dir and port and waits until it takes connections.</summary>
    public async Task StartAsync()
    {
        // fsync off: the tests check behaviour, not durability, and run on shared disks.
        _server = Start(_bin, "postgres", "-D", DataDir, "-k", _dir.Path, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=300");
        await WaitUntilReadyAsync();
    }

    /// <summary>Stops the server: SIGINT (PostgreSQL's fast shutdown) to the postmaster's own PID, not the runuser wrapper's.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        var pidFile = Path.Combine(DataDir, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
        {
            await _server.StopAsync(pid, Native.SigInt);
        }

        _server.Dispose();
        _server = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static string FindBinDirectory()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql: install the Debian package postgresql (./test.sh does)");
    }

    private static async Task<string?> FindUserAsync(string name)
    {
        try
        {
            await ServerProcess.RunAsync("id", "-u", name);
            return name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private Task RunAsAsync(string program, params string[] arguments) =>
        _runAs is null ? ServerProcess.RunAsync(program, arguments) : ServerProcess.RunAsync("runuser", ["-u", _runAs, "--", program, .. arguments]);

    private ServerProcess Start(string bin, string program, params string[] arguments) =>
        _runAs is null ? ServerProcess.Start(Path.Combine(bin, program), arguments) : ServerProcess.Start("runuser", ["-u", _runAs, "--", Path.Combine(bin, program), .. arguments]);

    private async Task WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ExecuteAsync("SELECT 1");
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60) && !_server!.HasExited)
            {
                await Task.Delay(50);
            }
            catch (NpgsqlException ex)
            {
                throw new InvalidOperationException($"PostgreSQL did not start:\n{_server!.Output}", ex);
            }
        }
    }
}
