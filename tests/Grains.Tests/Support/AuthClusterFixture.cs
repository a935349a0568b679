using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Sqlite.Hosting;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Hosting;

namespace Teleport.Orleans.Grains.Tests.Support;

/// <summary>One in-process silo on the SQLite backend in a temporary directory, shared by the grain tests.</summary>
public sealed class AuthClusterFixture : IAsyncLifetime
{
    public const string ClusterName = "test.example.com";

    private InProcessTestCluster? _cluster;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "teleport-grains-" + Guid.NewGuid().ToString("N"));

    public ManualTimeProvider Time { get; } = new();

    /// <summary>The silo's recording store, so tests can place recordings the way an upload would.</summary>
    public FileRecordingStore Recordings { get; }

    public AuthClusterFixture() => Recordings = new FileRecordingStore(Path.Combine(DataDir, "records"));

    public IGrainFactory Grains => _cluster!.Client;

    /// <summary>The silo's own services (its grain storage, for reads outside any grain).</summary>
    public IServiceProvider SiloServices => _cluster!.Silos[0].SiloHost.Services;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time).AddSingleton<IRecordingStore>(Recordings));
            silo.UseSqliteBackend(DataDir, StorageNames.ClusterState);
            silo.AddAuthGrains();
        });
        _cluster = builder.Build();
        await Recordings.InitializeAsync(CancellationToken.None);
        await _cluster.DeployAsync();
        await Grains.GetGrain<IClusterGrain>(IClusterGrain.Key).Bootstrap(new ClusterBootstrap
        {
            ClusterName = ClusterName,
            AuthPreference = new AuthPreference { SecondFactor = SecondFactor.Otp },
            ProxyPublicAddr = "proxy.test.example.com:3080",
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AuthClusterCollection : ICollectionFixture<AuthClusterFixture>
{
    public const string Name = "auth cluster";
}
