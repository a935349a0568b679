using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// The tsh cluster with <c>proxy_listener_mode: multiplex</c> and no proxy <c>listen_addr</c> or
/// <c>tunnel_listen_addr</c> in effect: the web port is the only port tsh can reach the proxy on.
/// </summary>
public sealed class TshMultiplexCluster : IAsyncLifetime
{
    internal TshCluster Cluster { get; } = new(new ProxySettings
    {
        ListenerMode = "multiplex",
        WebPortOnly = true,
        NodePort = FreePorts.Take(1)[0],
    });

    public Task InitializeAsync() => Cluster.InitializeAsync();

    public Task DisposeAsync() => Cluster.DisposeAsync();
}
