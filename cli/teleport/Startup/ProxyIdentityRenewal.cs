using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// First of a proxy-only process's hosted services: joins with the Proxy token (or loads the identity kept in
/// data_dir/proxy) before the Orleans client and the gateway start, then renews it through the auth API over mutual
/// TLS at two thirds of the X.509 lifetime, as a node does, into <see cref="JoinedProxyIdentity"/>.
/// </summary>
internal sealed class ProxyIdentityRenewal(
    JoinedProxyIdentity joined, TeleportConfig config, string authServer, IReadOnlyList<string> hostNames, ILoggerFactory loggers)
    : BackgroundService, IAsyncDisposable
{
    private IdentityRenewer? _renewer;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        NodeIdentity identity;
        try
        {
            identity = await ProxyJoin.ObtainAsync(config, authServer, hostNames, loggers, cancellationToken);
        }
        catch (JoinException ex)
        {
            throw new StartupException($"the proxy could not join the cluster: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupException(ex.Message, ex);
        }

        joined.Auth = new NodeAuthClient(authServer, identity, loggers.CreateLogger<NodeAuthClient>());
        var identityDir = ProxyJoin.IdentityDir(Path.GetFullPath(config.Teleport.DataDir));
        _renewer = new IdentityRenewer(identityDir, joined.Auth, loggers.CreateLogger<IdentityRenewer>(), hostNames);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _renewer!.RunAsync(stoppingToken);

    public async ValueTask DisposeAsync()
    {
        Dispose();
        if (joined.Joined)
        {
            await joined.Auth.DisposeAsync();
        }
    }
}
