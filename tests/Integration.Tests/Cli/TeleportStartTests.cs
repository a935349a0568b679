using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Cli;

public sealed class TeleportStartTests
{
    [Fact]
    public async Task Cluster_state_survives_a_killed_process()
    {
        await using var server = await TeleportServer.StartAsync();
        var name = "durable-" + Guid.NewGuid().ToString("N")[..8];
        (await server.Tctl("users", "add", name, "--roles=access", "--logins=root")).EnsureSuccess();
        var before = (await server.Tctl("status")).EnsureSuccess().Stdout;

        await server.KillAsync();
        await server.RestartAsync();

        Assert.Contains(name, (await server.Tctl("users", "ls")).EnsureSuccess().Stdout);
        var after = (await server.Tctl("status")).EnsureSuccess().Stdout;
        Assert.Equal(CaLines(before), CaLines(after));
    }

    [Fact]
    public async Task First_start_prints_what_to_do_next()
    {
        await using var server = await TeleportServer.StartAsync();
        await server.WaitForOutput("auth export --type=user");

        Assert.Contains("users add admin --roles=access,editor", server.Output);
        Assert.Contains("itest.example.com", server.Output);
    }

    [Fact]
    public async Task Unknown_key_in_the_config_stops_start_with_its_line()
    {
        var dir = Directory.CreateTempSubdirectory("teleport-badconfig-");
        try
        {
            var config = Path.Combine(dir.FullName, "teleport.yaml");
            await File.WriteAllTextAsync(config, "version: v3\nteleport:\n  data_dir: /tmp/x\nauth_service:\n  enabled: true\n  lisen_addr: 0.0.0.0:3025\n");

            var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config], environment: Orleans());

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("lisen_addr", result.Stderr);
            Assert.Contains("6", result.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Corrupt_backend_file_stops_start_with_a_clear_error()
    {
        var dir = Directory.CreateTempSubdirectory("teleport-corrupt-");
        try
        {
            var dataDir = Path.Combine(dir.FullName, "data");
            Directory.CreateDirectory(Path.Combine(dataDir, "backend"));
            await File.WriteAllBytesAsync(Path.Combine(dataDir, "backend", "cluster-state.db"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
            var ports = FreePorts.Take(2);
            var config = Path.Combine(dir.FullName, "teleport.yaml");
            await File.WriteAllTextAsync(config, $"version: v3\nteleport:\n  data_dir: {dataDir}\n  diag_addr: 127.0.0.1:{ports[0]}\nauth_service:\n  listen_addr: 127.0.0.1:{ports[1]}\n");

            var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config], environment: Orleans());

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("cluster-state.db", result.Stderr);
            Assert.Contains("not a database", result.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Configure_prints_a_sample_that_start_accepts()
    {
        var result = (await Dotnet.Run(Repository.TeleportDll, ["configure"])).EnsureSuccess();

        Assert.Contains("version: v3", result.Stdout);
        Assert.Contains("auth_service:", result.Stdout);
        Assert.Contains("#", result.Stdout);
    }

    private static Dictionary<string, string> Orleans()
    {
        var ports = FreePorts.Take(2);
        return new() { ["TELEPORT_SILO_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture), ["TELEPORT_GATEWAY_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    private static string[] CaLines(string status) =>
        [.. status.Split('\n').Where(l => l.Contains("CA", StringComparison.Ordinal))];
}
