using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>
/// The auth service on each backend (SQLite outside the data dir too): two <c>teleport start</c> processes form one cluster and see the same
/// users, and an auth server restarted with its data dir deleted still has its users, roles and CAs, because all of
/// them live in the backend.
/// </summary>
public sealed partial class CloudBackendTests
{
    private const string Role = """
        kind: role
        version: v7
        metadata:
          name: kept-role
        spec:
          allow:
            logins: [kept]
        """;

    static CloudBackendTests()
    {
        // teleport takes AWS credentials the SDK's way; dynalite accepts any, but the SDK needs some, and the
        // instance-metadata lookup would only add a timeout on a machine outside EC2.
        foreach (var (name, value) in new[] { ("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_EC2_METADATA_DISABLED", "true") })
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public async Task Two_auth_servers_on_one_dynamodb_table_form_one_cluster_and_see_the_same_users()
    {
        await using var dynalite = new DynaliteServer();
        await dynalite.InitializeAsync();
        await TwoServersShareUsersAsync(DynamoDbStorage(dynalite), "dynamo-user");
    }

    [Fact]
    public async Task Two_auth_servers_on_one_azure_storage_account_form_one_cluster_and_see_the_same_users()
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        await TwoServersShareUsersAsync(AzureStorage(azurite), "azure-user");
    }

    [Fact]
    public async Task Auth_restarted_on_dynamodb_with_its_data_dir_deleted_keeps_users_roles_and_cas()
    {
        await using var dynalite = new DynaliteServer();
        await dynalite.InitializeAsync();
        await RestartWithoutDataDirAsync(DynamoDbStorage(dynalite));
    }

    [Fact]
    public async Task Auth_restarted_on_azure_with_its_data_dir_deleted_keeps_users_roles_and_cas()
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        await RestartWithoutDataDirAsync(AzureStorage(azurite));
    }

    [Fact]
    public async Task Two_auth_servers_on_one_firestore_collection_form_one_cluster_and_see_the_same_users()
    {
        await TwoServersShareUsersAsync(FirestoreStorage(await FirestoreEmulator.SharedAsync()), "firestore-user");
    }

    [Fact]
    public async Task Auth_restarted_on_firestore_with_its_data_dir_deleted_keeps_users_roles_and_cas()
    {
        await RestartWithoutDataDirAsync(FirestoreStorage(await FirestoreEmulator.SharedAsync()));
    }

    [Fact]
    public async Task An_unreachable_firestore_emulator_stops_start_with_one_error_line_naming_it()
    {
        using var dir = new TempDirectory("teleport-firestore-down-");
        var endpoint = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        var config = Path.Combine(dir.Path, "teleport.yaml");
        await File.WriteAllTextAsync(config, $"version: v3\nteleport:\n  data_dir: {dir.Path}\n  storage:\n    type: firestore\n    project_id: p\n    collection_name: c\n    endpoint: {endpoint}\n");

        var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config]);

        Assert.NotEqual(0, result.ExitCode);
        var error = Assert.Single(result.Stderr.Split('\n'), line => line.StartsWith("ERROR:", StringComparison.Ordinal));
        Assert.Contains($"the Firestore emulator at {endpoint} is unreachable", error);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task Auth_restarted_on_sqlite_kept_outside_its_data_dir_with_the_data_dir_deleted_keeps_users_roles_and_cas()
    {
        // Nothing exists at the path: the first start creates the directory and the database.
        using var backend = new TempDirectory("teleport-sqlite-backend-");
        await RestartWithoutDataDirAsync($$"""
              storage:
                type: sqlite
                path: {{Path.Combine(backend.Path, "state")}}
            """);
    }

    [Fact]
    public async Task Auth_restarted_on_etcd_with_its_data_dir_deleted_keeps_users_roles_and_cas()
    {
        var etcd = new EtcdServer();
        await etcd.InitializeAsync();
        try
        {
            await RestartWithoutDataDirAsync($"""
                  storage:
                    type: etcd
                    peers: [{etcd.ClientUrl}]
                    prefix: {EtcdServer.UniquePrefix()}
                """);
        }
        finally
        {
            await etcd.DisposeAsync();
        }
    }

    [Fact]
    public async Task Auth_started_on_postgresql_with_nothing_created_and_restarted_with_its_data_dir_deleted_keeps_users_roles_and_cas()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            // Neither the database nor the audit database exists: the first start creates both, as Teleport does.
            var database = "teleport_" + Guid.NewGuid().ToString("N")[..12];
            await RestartWithoutDataDirAsync($"""
                  storage:
                    type: postgresql
                    conn_string: postgresql://{PostgresServer.Superuser}@127.0.0.1:{postgres.Port}/{database}
                    audit_events_uri: ['postgresql://{PostgresServer.Superuser}@127.0.0.1:{postgres.Port}/{database}_audit']
                """);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task Auth_killed_on_postgresql_and_restarted_on_its_ports_is_ready_and_keeps_its_state()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var schema = await postgres.CreateSchemaAsync();
            await using var server = await TeleportServer.StartAsync($"""
                  storage:
                    type: postgresql
                    conn_string: postgresql://{PostgresServer.Superuser}@127.0.0.1:{postgres.Port}/postgres?search_path={schema}
                """);
            (await server.Tctl("users", "add", "crash-survivor", "--roles=access", "--logins=kept")).EnsureSuccess();

            // SIGKILL leaves the silo Active in the shared membership table; the new process on the same silo port
            // must supersede it rather than wait for it to be voted dead (RestartAsync fails after 90 s).
            await server.KillAsync();
            var restarted = System.Diagnostics.Stopwatch.StartNew();
            await server.RestartAsync(sameOrleansPorts: true);

            Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(60), $"ready after {restarted.Elapsed}");
            Assert.Contains("crash-survivor", (await server.Tctl("users", "ls")).EnsureSuccess().Stdout);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recordings_go_to_s3_with_any_backend_and_a_bad_uri_stops_start_naming_it()
    {
        using var dir = new TempDirectory("teleport-s3uri-");
        var config = Path.Combine(dir.Path, "teleport.yaml");
        await File.WriteAllTextAsync(config, $"version: v3\nteleport:\n  data_dir: {dir.Path}\n  storage:\n    audit_sessions_uri: s3://Bad_Bucket/records\n");

        var result = await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("bucket name 'Bad_Bucket' is invalid", result.Stderr);
    }

    /// <summary>A dynamodb <c>storage:</c> section on a fresh table; using it runs the static constructor, which sets the AWS variables.</summary>
    internal static string DynamoDbStorage(DynaliteServer dynalite) => $"""
          storage:
            type: dynamodb
            region: us-east-1
            table_name: {DynaliteServer.UniqueTable()}
            endpoint: {dynalite.Endpoint}
        """;

    /// <summary>A firestore <c>storage:</c> section on a fresh collection of the emulator, audit events in another.</summary>
    internal static string FirestoreStorage(FirestoreEmulator emulator) => $"""
          storage:
            type: firestore
            project_id: {FirestoreEmulator.ProjectId}
            collection_name: {FirestoreEmulator.UniqueCollection()}
            endpoint: {emulator.Endpoint}
            audit_events_uri: ['firestore://{FirestoreEmulator.UniqueCollection()}?projectID={FirestoreEmulator.ProjectId}&endpoint={emulator.Endpoint}']
        """;

    internal static string AzureStorage(AzuriteServer azurite) => $"""
          storage:
            type: azure
            conn_string: "{azurite.ConnectionString}"
        """;

    private static async Task TwoServersShareUsersAsync(string storage, string user)
    {
        await using var first = await TeleportServer.StartAsync(storage);
        await using var second = await TeleportServer.StartAsync(storage);

        (await first.Tctl("users", "add", user, "--roles=access", "--logins=root")).EnsureSuccess();
        var seen = (await second.Tctl("get", "user/" + user)).EnsureSuccess();
        var firstStatus = (await first.Tctl("status")).EnsureSuccess();
        var secondStatus = (await second.Tctl("status")).EnsureSuccess();

        Assert.Contains("name: " + user, seen.Stdout);
        Assert.Equal(CaPin().Match(firstStatus.Stdout).Value, CaPin().Match(secondStatus.Stdout).Value);
    }

    private static async Task RestartWithoutDataDirAsync(string storage)
    {
        await using var server = await TeleportServer.StartAsync(storage);
        var roleFile = Path.Combine(server.Root, "role.yaml");
        await File.WriteAllTextAsync(roleFile, Role);
        (await server.Tctl("create", roleFile)).EnsureSuccess();
        (await server.Tctl("users", "add", "kept-user", "--roles=kept-role", "--logins=kept")).EnsureSuccess();
        var pinBefore = CaPin().Match((await server.Tctl("status")).EnsureSuccess().Stdout).Value;

        // A graceful stop: a killed silo stays Active in the shared membership table until peers vote it dead.
        await server.StopAsync();
        Directory.Delete(server.DataDir, recursive: true);
        await server.RestartAsync();

        Assert.Contains("kept-role", (await server.Tctl("get", "user/kept-user")).EnsureSuccess().Stdout);
        Assert.Contains("kept", (await server.Tctl("get", "role/kept-role")).EnsureSuccess().Stdout);
        Assert.Equal(pinBefore, CaPin().Match((await server.Tctl("status")).EnsureSuccess().Stdout).Value);
        Assert.NotEmpty(pinBefore);
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex CaPin();
}
