using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The apps app services announce. Key: <see cref="DefaultKey"/>. Apps are few (tens, not thousands of nodes), so one
/// grain holds them all; entries live in memory and expire with their lease, so after a failover the registry fills
/// again within one heartbeat interval (<see cref="HeartbeatInterval"/>).
/// </summary>
public interface IAppRegistryGrain : IGrainWithStringKey
{
    const string DefaultKey = "all";

    static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(20);

    static readonly TimeSpan Lease = TimeSpan.FromSeconds(70);

    /// <summary>Upserts the apps an app service announces and extends their lease; apps it no longer announces are removed.</summary>
    Task Heartbeat(string hostId, App[] apps, Caller caller);

    /// <summary>
    /// Records the gateway holding the reverse tunnel of app service <paramref name="hostId"/> (its apps then carry it in
    /// <see cref="App.TunnelGateway"/>), so a gateway without the tunnel forwards to that one; empty clears it.
    /// </summary>
    Task SetTunnelGateway(string hostId, string gateway);

    /// <summary>Clears the record of <paramref name="hostId"/>'s tunnel only while it still names <paramref name="gateway"/>.</summary>
    Task ClearTunnelGateway(string hostId, string gateway);

    /// <summary>Every app whose lease runs, by name.</summary>
    [ReadOnly]
    Task<App[]> List();

    /// <summary>The app, or null when none by that name is announced now.</summary>
    [ReadOnly]
    Task<App?> Get(string name);
}
