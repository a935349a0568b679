using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;
using Teleport.Orleans.TestServers.Gcs;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>
/// <c>teleport start</c> creates what its backend needs, and when it may not, stops with one <c>ERROR:</c> line that
/// names the missing privilege and no stack trace.
/// </summary>
public sealed class BackendSetupTests
{
    [Fact]
    public async Task A_postgresql_role_without_createdb_on_a_missing_database_stops_the_start_with_one_error_line()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var role = "r_" + Guid.NewGuid().ToString("N")[..12];
            await postgres.ExecuteAsync($"CREATE ROLE {role} LOGIN");

            var result = await StartAndWaitForExitAsync($"""
                  storage:
                    type: postgresql
                    conn_string: postgresql://{role}@127.0.0.1:{postgres.Port}/teleport_backend
                """);

            Assert.Equal(1, result.ExitCode);
            var output = result.Stdout + result.Stderr;
            var error = Assert.Single(output.Split('\n'), line => line.Contains("ERROR", StringComparison.Ordinal));
            Assert.Contains($"the PostgreSQL role \"{role}\" lacks CREATEDB: database \"teleport_backend\" does not exist", error);
            Assert.DoesNotContain("   at ", output);
            Assert.DoesNotContain("Exception", output);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recordings_to_gs_create_the_bucket_at_start_and_a_denied_create_stops_it_naming_the_permission()
    {
        await using var gcs = new FakeGcsJsonApiServer();
        var bucket = FakeGcsJsonApiServer.UniqueBucket();
        var storage = $"""
              storage:
                audit_sessions_uri: "gs://{bucket}?projectID=itest&path=records&endpoint={gcs.Endpoint}"
            """;
        await using (var server = await TeleportServer.StartAsync(storage))
        {
            Assert.True(gcs.BucketExists(bucket));
        }

        gcs.Deny("storage.buckets.create");
        var denied = await StartAndWaitForExitAsync(storage.Replace(bucket, bucket + "-x", StringComparison.Ordinal));

        Assert.Equal(1, denied.ExitCode);
        var output = denied.Stdout + denied.Stderr;
        Assert.Contains($"ERROR: the auth service could not start: Google Cloud Storage refused storage.buckets.create on bucket '{bucket}-x'", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Empty(gcs.Violations);
    }

    [Theory]
    [InlineData("gs://teleport-records", "projectID is missing")]
    [InlineData("gs://Bad_Bucket?projectID=p", "bucket name 'Bad_Bucket' is invalid")]
    [InlineData("gs://teleport-records?projectID=p&region=us", "unknown parameter 'region'")]
    public async Task A_bad_gs_uri_stops_the_start_with_the_reason(string uri, string reason)
    {
        var result = await StartAndWaitForExitAsync($"""
              storage:
                audit_sessions_uri: "{uri}"
            """);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ERROR: teleport.storage.audit_sessions_uri '" + uri + "': " + reason, result.Stderr);
    }

    [Fact]
    public async Task An_audit_retention_period_on_a_backend_that_keeps_events_until_deleted_stops_the_start_saying_so()
    {
        var result = await StartAndWaitForExitAsync("""
              storage:
                audit_retention_period: 720h
            """);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ERROR: teleport.storage.audit_retention_period: with type sqlite this release keeps audit events until they are deleted", result.Stderr);
    }

    private static async Task<CommandResult> StartAndWaitForExitAsync(string storage)
    {
        using var dir = new TempDirectory("teleport-setup-");
        var config = Path.Combine(dir.Path, "teleport.yaml");
        await File.WriteAllTextAsync(config, $"""
            version: v3
            teleport:
              data_dir: {Path.Combine(dir.Path, "data")}
            {storage}
            auth_service:
              enabled: true
              listen_addr: 127.0.0.1:{FreePorts.Take(1)[0]}
            proxy_service:
              enabled: false
            ssh_service:
              enabled: false
            """);
        return await Dotnet.Run(Repository.TeleportDll, ["start", "--config", config], timeout: TimeSpan.FromMinutes(1));
    }
}
