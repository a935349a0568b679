using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

public sealed class DynaliteRestartTests : ServerRestartConformance
{
    private readonly DynaliteServer _server = new();
    private DynamoDbDatabase? _database;

    protected override Task StartServerAsync() => _server.StartAsync();

    protected override Task StopServerAsync() => _server.StopAsync();

    protected override async Task DisposeServerAsync()
    {
        _database?.Dispose();
        await _server.DisposeAsync();
    }

    protected override IClusterStateStore? CreateStateStore()
    {
        _database = Dynalite.Database(_server, retry: QuickRetry);
        return new DynamoDbClusterStateStore(_database);
    }

    protected override IRecordingStore? CreateRecordingStore() => null;
}
