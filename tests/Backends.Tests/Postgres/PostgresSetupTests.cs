using System.Text;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Audit;
using Teleport.Orleans.Backends.Postgres.Membership;
using Teleport.Orleans.Backends.Postgres.Storage;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

/// <summary>Table creation at start, and the errors an operator sees when the database role may not do what it needs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSetupTests(PostgresServer server)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_role_without_create_on_the_schema_is_told_which_privilege_to_grant()
    {
        var schema = await server.CreateSchemaAsync();
        var role = await CreateRoleAsync(schema);
        await using var database = new PostgresDatabase(server.ConnectionString(schema, role));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => new PostgresClusterStateStore(database).InitializeAsync(None));

        Assert.Contains("teleport_cluster_state", error.Message);
        Assert.Contains($"role \"{role}\" lacks the CREATE privilege on schema \"{schema}\"", error.Message);
        Assert.Contains($"GRANT CREATE ON SCHEMA \"{schema}\" TO \"{role}\"", error.Message);
    }

    [Fact]
    public async Task Tables_an_administrator_created_serve_a_role_with_table_privileges_only()
    {
        var schema = await server.CreateSchemaAsync();
        await using (var admin = new PostgresDatabase(server.ConnectionString(schema)))
        {
            await new PostgresClusterStateStore(admin).InitializeAsync(None);
            await new PostgresMembershipStore(admin).InitializeAsync(None);
            await new PostgresAuditEventStore(admin).InitializeAsync(None);
        }

        var role = await CreateRoleAsync(schema);
        await server.ExecuteAsync($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}");
        await using var database = new PostgresDatabase(server.ConnectionString(schema, role));
        var state = new PostgresClusterStateStore(database);
        var membership = new PostgresMembershipStore(database);

        await state.InitializeAsync(None);
        await membership.InitializeAsync(None);
        await new PostgresAuditEventStore(database).InitializeAsync(None);

        var etag = await state.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("v1"), null, None);
        await state.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("v2"), etag, None);
        await membership.EnsureVersionAsync("teleport", None);
    }

    [Fact]
    public async Task A_role_missing_table_privileges_is_told_which_ones()
    {
        var schema = await server.CreateSchemaAsync();
        await using (var admin = new PostgresDatabase(server.ConnectionString(schema)))
        {
            await new PostgresClusterStateStore(admin).InitializeAsync(None);
        }

        var role = await CreateRoleAsync(schema);
        await server.ExecuteAsync($"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {schema} TO {role}");
        await using var database = new PostgresDatabase(server.ConnectionString(schema, role));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => new PostgresClusterStateStore(database).InitializeAsync(None));

        Assert.Contains($"role \"{role}\" lacks the privileges UPDATE, DELETE on table teleport_cluster_state", error.Message);
    }

    [Fact]
    public async Task A_search_path_naming_no_existing_schema_is_reported()
    {
        await using var database = new PostgresDatabase(server.ConnectionString("no_such_schema"));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => new PostgresAuditEventStore(database).InitializeAsync(None));

        Assert.Contains("no schema on the search_path (no_such_schema)", error.Message);
    }

    [Fact]
    public async Task A_missing_database_is_created_at_start_with_its_tables()
    {
        var name = "teleport_" + Guid.NewGuid().ToString("N")[..12];
        await using (var database = new PostgresDatabase(InDatabase(server.ConnectionString("public"), name)))
        {
            var state = new PostgresClusterStateStore(database);
            await state.InitializeAsync(None);
            await new PostgresAuditEventStore(database).InitializeAsync(None);
            await state.WriteAsync("user", "alice", Encoding.UTF8.GetBytes("v1"), null, None);
        }

        await using var again = new PostgresDatabase(InDatabase(server.ConnectionString("public"), name));
        var reopened = new PostgresClusterStateStore(again);
        await reopened.InitializeAsync(None);
        Assert.Equal("v1", Encoding.UTF8.GetString((await reopened.ReadAsync("user", "alice", None))!.Data));
    }

    [Fact]
    public async Task A_role_without_createdb_is_told_to_create_the_database_or_grant_it()
    {
        var role = "r_" + Guid.NewGuid().ToString("N")[..12];
        var name = "teleport_" + Guid.NewGuid().ToString("N")[..12];
        await server.ExecuteAsync($"CREATE ROLE {role} LOGIN");
        await using var database = new PostgresDatabase(InDatabase(server.ConnectionString("public", role), name));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => new PostgresClusterStateStore(database).InitializeAsync(None));

        Assert.StartsWith($"the PostgreSQL role \"{role}\" lacks CREATEDB: database \"{name}\" does not exist", error.Message);
        Assert.Contains($"CREATE DATABASE \"{name}\" OWNER \"{role}\"", error.Message);
        Assert.Contains($"ALTER ROLE \"{role}\" CREATEDB", error.Message);
    }

    [Fact]
    public async Task Silos_starting_together_on_a_missing_database_create_it_once()
    {
        var name = "teleport_" + Guid.NewGuid().ToString("N")[..12];
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(InDatabase(server.ConnectionString("public"), name))).ToList();
        try
        {
            await Task.WhenAll(databases.Select(database => Task.Run(() => new PostgresClusterStateStore(database).InitializeAsync(None))));
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Silos_starting_together_create_each_table_once()
    {
        var schema = await server.CreateSchemaAsync();
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(server.ConnectionString(schema))).ToList();
        try
        {
            await Task.WhenAll(databases.Select(database => Task.Run(async () =>
            {
                await new PostgresClusterStateStore(database).InitializeAsync(None);
                await new PostgresMembershipStore(database).InitializeAsync(None);
                await new PostgresAuditEventStore(database).InitializeAsync(None);
            })));
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    private static string InDatabase(string connectionString, string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private async Task<string> CreateRoleAsync(string schema)
    {
        var role = "r_" + Guid.NewGuid().ToString("N")[..12];
        await server.ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {role}");
        return role;
    }
}
