using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Tunnel;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Agent.Apps;

/// <summary>
/// An app service on its own host: joins once with an app token (role App; a <see cref="JoinException"/> says why it
/// could not), then keeps a reverse tunnel to the proxy, on which the proxy opens channels to the apps' addresses
/// (<see cref="AppTunnelForwardingHandler"/>), and renews its certificates. Its apps are announced through
/// <see cref="AnnounceAsync"/> over the auth API, which it reaches through the same proxy.
/// </summary>
public sealed partial class AppService(AppServiceOptions options, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<AppService>();
    private NodeAuthClient? _auth;
    private ReverseTunnelAgent? _tunnel;
    private IdentityRenewer? _renewer;

    public AppServiceOptions Options => options;

    /// <summary>The joined host id; valid once the service has started.</summary>
    public string HostId => _auth?.Identity.HostId ?? "";

    public string ClusterName => _auth?.Identity.ClusterName ?? "";

    /// <summary>Completes when the first reverse tunnel to the proxy is up.</summary>
    internal Task TunnelConnected => _tunnel?.Connected ?? Task.CompletedTask;

    /// <summary>Whether the reverse tunnel to the proxy is up now.</summary>
    internal bool HoldsTunnel => _tunnel?.IsUp == true;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDir);
        var hostId = HostUuid.LoadOrCreate(options.DataDir);
        var identity = NodeIdentity.Load(options.DataDir);
        if (identity is null || identity.HostId != hostId)
        {
            if (options.Join is not { } join || string.IsNullOrEmpty(join.Token))
            {
                throw new JoinException("the app service has not joined a cluster yet: set teleport.auth_token to a token from `tctl tokens add --type=app`");
            }

            identity = await new NodeJoiner(loggers.CreateLogger<NodeJoiner>()).JoinAsync(hostId, options.NodeName, join, cancellationToken);
            identity.Save(options.DataDir);
        }

        var dialer = new TunnelDialer(options.ProxyServer);
        var auth = _auth = new NodeAuthClient(options.ProxyServer, identity, loggers.CreateLogger<NodeAuthClient>())
        {
            // No route to the auth API but through the proxy: each gRPC connection is a tunnel "auth" connection.
            Connect = async (_, token) => await dialer.ConnectAsync(TunnelDialer.AuthPreface, token),
        };
        _tunnel = new ReverseTunnelAgent(dialer, () => auth.Identity, _ => new AppTunnelForwardingHandler(options.Apps), loggers);
        _renewer = new IdentityRenewer(options.DataDir, auth, loggers.CreateLogger<IdentityRenewer>(), [options.NodeName]);
        LogJoined(_logger, identity.HostId, identity.ClusterName, options.ProxyServer);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Announces <paramref name="apps"/> as this host's (the auth API's HeartbeatApps).</summary>
    public async Task AnnounceAsync(App[] apps, CancellationToken cancellationToken)
    {
        var auth = _auth ?? throw new InvalidOperationException("The app service has not started.");
        var request = new AppServiceHeartbeat();
        request.Apps.AddRange(apps.Select(a =>
        {
            var resource = new AppResource
            {
                Name = a.Name,
                Description = a.Description,
                Uri = a.Uri,
                PublicAddr = a.PublicAddr,
                InsecureSkipVerify = a.InsecureSkipVerify,
            };
            resource.Labels.Add(a.Labels);
            resource.RewriteRedirect.AddRange(a.Rewrite.Redirect);
            resource.RewriteHeaders.AddRange(a.Rewrite.Headers);
            return resource;
        }));
        await auth.CallAsync("app heartbeat", async (client, call) => await client.HeartbeatAppsAsync(request, call), cancellationToken, maxAttempts: 1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await Task.WhenAll(_tunnel!.RunAsync(stoppingToken), _renewer!.RunAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_auth is not null)
        {
            await _auth.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App service is host {HostId} of cluster {ClusterName}, reached through proxy {Proxy}")]
    private static partial void LogJoined(ILogger logger, string hostId, string clusterName, string proxy);
}
