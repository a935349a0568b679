using Amazon.Runtime;
using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Audit;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Audit;
using Teleport.Orleans.Backends.DynamoDb.Storage;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Audit;
using Teleport.Orleans.Backends.Etcd.Storage;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Backends.Firestore.Audit;
using Teleport.Orleans.Backends.Firestore.Storage;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Audit;
using Teleport.Orleans.Backends.Postgres.Storage;
using Teleport.Orleans.Backends.Sqlite.Audit;
using Teleport.Orleans.Backends.Sqlite.Storage;
using Teleport.Orleans.TestServers;
using Teleport.Orleans.TestSupport;

namespace Teleport.Orleans.Benchmarks.Backends;

/// <summary>One backend on its real server (started here, on loopback, stopped at the end), as its two stores.</summary>
internal sealed class BackendUnderTest : IAsyncDisposable
{
    private readonly List<Func<Task>> _cleanup = [];

    public required IClusterStateStore State { get; init; }

    public required IAuditEventStore Audit { get; init; }

    private BackendUnderTest()
    {
    }

    public static async Task<BackendUnderTest> StartAsync(string name)
    {
        switch (name)
        {
            case "sqlite":
                {
                    var dir = new TempDirectory("teleport-bench-");
                    return With(new SqliteClusterStateStore(Path.Combine(dir.Path, "state.db")), new SqliteAuditEventStore(Path.Combine(dir.Path, "audit.db")), () => dir.Dispose());
                }

            case "postgresql":
                {
                    var server = new PostgresServer();
                    await server.InitializeAsync();
                    var database = new PostgresDatabase(server.ConnectionString(await server.CreateSchemaAsync()));
                    return With(new PostgresClusterStateStore(database), new PostgresAuditEventStore(database), async () => { await database.DisposeAsync(); await server.DisposeAsync(); });
                }

            case "etcd":
                {
                    var server = new EtcdServer();
                    await server.InitializeAsync();
                    var database = new EtcdDatabase([server.ClientUrl], "/bench");
                    return With(new EtcdClusterStateStore(database), new EtcdAuditEventStore(database), async () => { database.Dispose(); await server.DisposeAsync(); });
                }

            case "dynamodb":
                {
                    var server = new DynaliteServer();
                    await server.InitializeAsync();
                    var database = new DynamoDbDatabase(new DynamoDbOptions { TableName = "bench", Region = "us-east-1", Endpoint = server.Endpoint, Credentials = new BasicAWSCredentials("bench", "bench") });
                    return With(new DynamoDbClusterStateStore(database), new DynamoDbAuditEventStore(database), async () => { database.Dispose(); await server.DisposeAsync(); });
                }

            case "azure":
                {
                    var server = new AzuriteServer();
                    await server.InitializeAsync();
                    var tables = new AzureTables(server.ConnectionString);
                    return With(new AzureTableClusterStateStore(tables, "benchstate"), new AzureTableAuditEventStore(tables, "benchaudit"), server.DisposeAsync);
                }

            case "firestore":
                {
                    var emulator = new FirestoreEmulator();
                    await emulator.StartAsync();
                    FirestoreOptions Options(string collection) => new() { ProjectId = FirestoreEmulator.ProjectId, CollectionName = collection, Endpoint = emulator.Endpoint, DisableExpiredDocumentPurge = true };
                    var state = new FirestoreDatabase(Options("bench"));
                    var audit = new FirestoreDatabase(Options("bench-events"));
                    return With(new FirestoreClusterStateStore(state), new FirestoreAuditEventStore(audit), async () => { state.Dispose(); audit.Dispose(); await emulator.DisposeAsync(); });
                }

            default:
                throw new ArgumentException($"unknown backend '{name}': use sqlite, postgresql, etcd, dynamodb, azure or firestore");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cleanup in _cleanup)
        {
            await cleanup();
        }
    }

    private static BackendUnderTest With(IClusterStateStore state, IAuditEventStore audit, Func<Task> cleanup)
    {
        var backend = new BackendUnderTest { State = state, Audit = audit };
        backend._cleanup.Add(cleanup);
        return backend;
    }

    private static BackendUnderTest With(IClusterStateStore state, IAuditEventStore audit, Action cleanup) =>
        With(state, audit, () =>
        {
            cleanup();
            return Task.CompletedTask;
        });
}
