using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>Lets an Orleans client find the active silos' gateways in the same membership store the silos use.</summary>
public sealed class MembershipGatewayListProvider : IGatewayListProvider
{
    private readonly IMembershipStore _store;
    private readonly string _clusterId;

    public MembershipGatewayListProvider(IMembershipStore store, IOptions<ClusterOptions> cluster, IOptions<GatewayOptions> gateway)
    {
        _store = store;
        _clusterId = cluster.Value.ClusterId;
        MaxStaleness = gateway.Value.GatewayListRefreshPeriod;
    }

    public TimeSpan MaxStaleness { get; }

    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => _store.InitializeAsync(CancellationToken.None);

    public async Task<IList<Uri>> GetGateways()
    {
        var snapshot = await _store.ReadAsync(_clusterId, silo: null, CancellationToken.None);
        return [.. snapshot.Records
            .Select(MembershipEntryCodec.FromRecord)
            .Where(entry => entry.Status == SiloStatus.Active && entry.ProxyPort > 0)
            .Select(entry => SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, 0).ToGatewayUri())];
    }
}
