using System.Text.RegularExpressions;
using Npgsql;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>
/// An auth pool: <c>teleport start</c> processes on one shared backend (PostgreSQL, etcd) form one Orleans cluster
/// through its membership table, and a backend the auth service may not use stops the start with the reason.
/// </summary>
public sealed partial class AuthPoolTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _postgres = postgres;

    [Fact]
    public async Task Two_auth_servers_on_one_postgresql_database_form_one_cluster_and_see_the_same_users()
    {
        var schema = await _postgres.CreateSchemaAsync();
        var storage = $"""
              storage:
                type: postgresql
                conn_string: postgresql://{PostgresServer.Superuser}@127.0.0.1:{_postgres.Port}/postgres?search_path={schema}
            """;
        await using var first = await TeleportServer.StartAsync(storage);
        await using var second = await TeleportServer.StartAsync(storage);

        (await first.Tctl("users", "add", "pool-user", "--roles=access", "--logins=root")).EnsureSuccess();
        var seen = (await second.Tctl("get", "user/pool-user")).EnsureSuccess();
        var firstStatus = (await first.Tctl("status")).EnsureSuccess();
        var secondStatus = (await second.Tctl("status")).EnsureSuccess();

        Assert.Contains("name: pool-user", seen.Stdout);
        Assert.Equal(CaPin().Match(firstStatus.Stdout).Value, CaPin().Match(secondStatus.Stdout).Value);
        Assert.Equal(2, await ActiveSilosAsync(schema));
    }

    [Fact]
    public async Task Two_auth_servers_on_one_etcd_form_one_cluster_and_see_the_same_users()
    {
        var etcd = new EtcdServer();
        await etcd.InitializeAsync();
        try
        {
            var storage = $"""
                  storage:
                    type: etcd
                    peers: [{etcd.ClientUrl}]
                    prefix: {EtcdServer.UniquePrefix()}
                """;
            await using var first = await TeleportServer.StartAsync(storage);
            await using var second = await TeleportServer.StartAsync(storage);

            (await first.Tctl("users", "add", "etcd-user", "--roles=access", "--logins=root")).EnsureSuccess();
            var seen = (await second.Tctl("get", "user/etcd-user")).EnsureSuccess();

            Assert.Contains("name: etcd-user", seen.Stdout);
        }
        finally
        {
            await etcd.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_role_that_may_not_create_the_tables_stops_start_naming_the_privilege()
    {
        var schema = await _postgres.CreateSchemaAsync();
        await _postgres.ExecuteAsync($"CREATE ROLE limited_{schema} LOGIN; GRANT USAGE ON SCHEMA {schema} TO limited_{schema}");
        using var dir = new TempDirectory("teleport-pgperm-");
        var ports = FreePorts.Take(4);
        var config = Path.Combine(dir.Path, "teleport.yaml");
        await File.WriteAllTextAsync(config, $"""
            version: v3
            teleport:
              data_dir: {Path.Combine(dir.Path, "data")}
              diag_addr: 127.0.0.1:{ports[0]}
              storage:
                type: postgresql
                conn_string: postgresql://limited_{schema}@127.0.0.1:{_postgres.Port}/postgres?search_path={schema}
            auth_service:
              listen_addr: 127.0.0.1:{ports[1]}
            """);

        var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config], environment: new Dictionary<string, string>
        {
            ["TELEPORT_SILO_PORT"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TELEPORT_GATEWAY_PORT"] = ports[3].ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"lacks the CREATE privilege on schema \"{schema}\"", result.Stderr);
    }

    [Fact]
    public async Task A_storage_type_this_release_lacks_stops_start_naming_it()
    {
        using var dir = new TempDirectory("teleport-cockroach-");
        var config = Path.Combine(dir.Path, "teleport.yaml");
        await File.WriteAllTextAsync(config, $"version: v3\nteleport:\n  data_dir: {dir.Path}\n  storage:\n    type: cockroachdb\n");

        var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("teleport.storage.type: cockroachdb is not supported by this release", result.Stderr);
    }

    private async Task<long> ActiveSilosAsync(string schema)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_postgres.Port};Username={PostgresServer.Superuser};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {schema}.teleport_membership WHERE entry->>'status' = 'Active'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex CaPin();
}
