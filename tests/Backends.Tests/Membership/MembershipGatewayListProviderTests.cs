using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Sqlite.Membership;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Membership;

public sealed class MembershipGatewayListProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Clients_are_offered_the_gateways_of_active_silos_only()
    {
        var store = new SqliteMembershipStore(Path.Combine(_dir.Path, "membership.db"));
        var cluster = Options.Create(new ClusterOptions { ClusterId = "teleport", ServiceId = "teleport" });
        var table = new ClusterMembershipTable(store, cluster, NullLogger<ClusterMembershipTable>.Instance);
        await table.InitializeMembershipTableAsync(true, CancellationToken.None);
        foreach (var (port, status) in new[] { (1, SiloStatus.Active), (2, SiloStatus.Dead), (3, SiloStatus.Joining), (4, SiloStatus.Active) })
        {
            var version = (await table.ReadAllAsync(CancellationToken.None)).Version;
            Assert.True(await table.InsertRowAsync(Entry(port, status), version.Next(), CancellationToken.None));
        }

        var provider = new MembershipGatewayListProvider(store, cluster, Options.Create(new GatewayOptions()));
        await provider.InitializeGatewayListProvider();
        var gateways = await provider.GetGateways();

        Assert.Equal(["gwy.tcp://127.0.0.1:30001/0", "gwy.tcp://127.0.0.1:30004/0"], gateways.Select(g => g.ToString()).Order());
        Assert.True(provider.IsUpdatable);
    }

    private static MembershipEntry Entry(int n, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), n),
        Status = status,
        SuspectTimes = [],
        ProxyPort = 30000 + n,
        HostName = "host",
        SiloName = "silo-" + n,
        RoleName = "auth",
        StartTime = DateTime.UtcNow,
        IAmAliveTime = DateTime.UtcNow,
    };
}
