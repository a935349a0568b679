using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// The reverse tunnels this gateway holds, by host id, and the record of which gateway holds each one (in the node
/// grain for a node, in the app registry for an app service), so a gateway without the tunnel knows where it is.
/// </summary>
internal sealed partial class TunnelRegistry(IGrainFactory grains, GatewayOptions options, ILogger<TunnelRegistry> logger)
{
    /// <summary>The target name a channel to the agent carries; the agent serves it with its node SSH server.</summary>
    public const string NodeTarget = "node";

    private readonly ConcurrentDictionary<string, SshClient> _tunnels = new(StringComparer.Ordinal);

    // Channels open through each tunnel now (sessions relayed here or for a peer), so a draining proxy closes a
    // tunnel only once nothing runs through it.
    private readonly ConcurrentDictionary<SshClient, int> _channels = new();
    private volatile bool _handingOver;

    // Host ids of the tunnels that come from app services (certificate role App) rather than nodes.
    private readonly ConcurrentDictionary<string, bool> _appServices = new(StringComparer.Ordinal);

    /// <summary>
    /// What this gateway records in <c>Node.TunnelGateway</c>: its peer address, which other gateways dial to forward
    /// connections here; without a peer listener, a process id (unique per process, so a restart is a new holder).
    /// </summary>
    public string GatewayId { get; } = options.PeerListenEndpoint is not null && options.PeerPublicAddr.Length > 0
        ? options.PeerPublicAddr
        : $"{Environment.MachineName}/{Guid.NewGuid():N}";

    public bool Holds(string hostId) => _tunnels.ContainsKey(hostId);

    public int Count => _tunnels.Count;

    /// <summary>The host ids whose tunnels this gateway holds now.</summary>
    public IReadOnlyCollection<string> HeldHostIds => [.. _tunnels.Keys];

    /// <summary>Whether the tunnel of <paramref name="hostId"/> held here comes from an app service.</summary>
    public bool IsAppService(string hostId) => _appServices.ContainsKey(hostId);

    /// <summary>Writes this gateway into the node's record again (the record can lose it, see <see cref="TunnelRecordKeeper"/>).</summary>
    public Task Reassert(string hostId) => Holds(hostId) ? Record(hostId, GatewayId) : Task.CompletedTask;

    public async Task Add(string hostId, SshClient tunnel, bool appService = false)
    {
        if (appService)
        {
            _appServices[hostId] = true;
        }

        if (_tunnels.TryGetValue(hostId, out var previous) && !ReferenceEquals(previous, tunnel))
        {
            // The agent reconnected before the old tunnel was noticed dead: the new one wins.
            _tunnels[hostId] = tunnel;
            await previous.DisposeAsync();
        }
        else
        {
            _tunnels[hostId] = tunnel;
        }

        LogAdded(logger, hostId);
        await Record(hostId, GatewayId);
    }

    public async Task Remove(string hostId, SshClient tunnel)
    {
        _channels.TryRemove(tunnel, out _);
        if (!((ICollection<KeyValuePair<string, SshClient>>)_tunnels).Remove(new(hostId, tunnel)))
        {
            return; // replaced by a newer tunnel, which owns the record now
        }

        LogRemoved(logger, hostId);
        if (_appServices.TryRemove(hostId, out _))
        {
            try
            {
                await grains.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).ClearTunnelGateway(hostId, GatewayId);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogRecordFailed(logger, hostId, ex.Message);
            }

            return;
        }

        try
        {
            var node = await grains.GetGrain<INodeGrain>(hostId).Get();
            if (node?.TunnelGateway == GatewayId)
            {
                await grains.GetGrain<INodeGrain>(hostId).SetTunnelGateway("");
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecordFailed(logger, hostId, ex.Message);
        }
    }

    /// <summary>
    /// A channel to the node's SSH server through its tunnel, or null when this gateway holds none. The client's
    /// address travels as the channel's originator, so the node audits the user's address rather than the proxy's.
    /// </summary>
    public async Task<Stream?> Open(string hostId, string clientAddress, CancellationToken cancellationToken)
    {
        // Handing over, this proxy is going away: a dialer waits for the node's tunnel on another proxy instead.
        if (_handingOver || !_tunnels.TryGetValue(hostId, out var tunnel))
        {
            return null;
        }

        return await OpenChannel(tunnel, NodeTarget, 0, clientAddress, cancellationToken);
    }

    /// <summary>A direct-tcpip channel through <paramref name="tunnel"/>, counted while it is open.</summary>
    private async Task<Stream> OpenChannel(SshClient tunnel, string host, int port, string clientAddress, CancellationToken cancellationToken)
    {
        var (address, originatorPort) = Originator(clientAddress);
        _channels.AddOrUpdate(tunnel, 1, (_, n) => n + 1);
        try
        {
            var channel = await tunnel.OpenDirectTcpIpAsync(host, port, address, originatorPort, cancellationToken);
            _ = channel.Completion.ContinueWith(_ => ChannelEnded(tunnel), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return channel;
        }
        catch
        {
            ChannelEnded(tunnel);
            throw;
        }
    }

    /// <summary>
    /// Draining (the tunnel listener no longer accepts): no new channel goes through the tunnels held here, and each
    /// one is closed as soon as no channel runs through it, so its agent dials again, through the load balancer, to a
    /// proxy that is staying, while sessions already running finish. Returns when every tunnel is gone.
    /// </summary>
    public async Task HandOverAsync(CancellationToken cancellationToken)
    {
        _handingOver = true;
        var closing = new HashSet<SshClient>(ReferenceEqualityComparer.Instance);
        while (!_tunnels.IsEmpty)
        {
            foreach (var tunnel in _tunnels.Values)
            {
                if (_channels.GetValueOrDefault(tunnel) == 0 && closing.Add(tunnel))
                {
                    _ = tunnel.DisconnectAsync();
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private void ChannelEnded(SshClient tunnel)
    {
        if (_channels.AddOrUpdate(tunnel, 0, (_, n) => n - 1) <= 0)
        {
            ((ICollection<KeyValuePair<SshClient, int>>)_channels).Remove(new(tunnel, 0));
        }
    }

    /// <summary>
    /// A channel through an app service's tunnel to <paramref name="host"/>:<paramref name="port"/>, which the app
    /// service connects to (only for its own apps' addresses); null when this gateway holds no tunnel of that host.
    /// </summary>
    public async Task<Stream?> OpenApp(string hostId, string host, int port, string clientAddress, CancellationToken cancellationToken)
    {
        if (_handingOver || !_tunnels.TryGetValue(hostId, out var tunnel))
        {
            return null;
        }

        return await OpenChannel(tunnel, host, port, clientAddress, cancellationToken);
    }

    /// <summary>"ip:port" as the originator fields of a direct-tcpip open; anything else as an unknown address.</summary>
    internal static (string Address, int Port) Originator(string clientAddress) =>
        System.Net.IPEndPoint.TryParse(clientAddress, out var endpoint)
            ? (endpoint.Address.ToString(), endpoint.Port)
            : ("0.0.0.0", 0);

    private async Task Record(string hostId, string gateway)
    {
        try
        {
            if (IsAppService(hostId))
            {
                await grains.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).SetTunnelGateway(hostId, gateway);
            }
            else
            {
                await grains.GetGrain<INodeGrain>(hostId).SetTunnelGateway(gateway);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The tunnel still works from here; only gateways without it lose the pointer.
            LogRecordFailed(logger, hostId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverse tunnel from node {HostId} is up")]
    private static partial void LogAdded(ILogger logger, string hostId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverse tunnel from node {HostId} is down")]
    private static partial void LogRemoved(ILogger logger, string hostId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the tunnel of node {HostId} in the cluster: {Reason}")]
    private static partial void LogRecordFailed(ILogger logger, string hostId, string reason);
}
