using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

public sealed class EtcdRestartTests : ServerRestartConformance
{
    private readonly EtcdServer _server = new();
    private EtcdDatabase? _database;

    // The first start picks the ports; a restart keeps them and the data dir.
    protected override Task StartServerAsync() => _server.ClientUrl.Length == 0 ? _server.InitializeAsync() : _server.StartAsync();

    protected override Task StopServerAsync() => _server.StopAsync();

    protected override async Task DisposeServerAsync()
    {
        _database?.Dispose();
        await _server.DisposeAsync();
    }

    protected override IClusterStateStore? CreateStateStore()
    {
        _database = new EtcdDatabase([_server.ClientUrl], EtcdServer.UniquePrefix(), retry: QuickRetry);
        return new EtcdClusterStateStore(_database);
    }

    protected override IRecordingStore? CreateRecordingStore() => null;
}
