using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Messaging;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Membership;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Makes a proxy-only process an Orleans client of the auth pool, so the gateway gets its <see cref="IGrainFactory"/>
/// from the client instead of a silo in the same process. The client learns the silos' gateway endpoints from the
/// auth API and reaches them over mutual TLS with the proxy's joined certificate.
/// </summary>
public static class GatewayClientExtensions
{
    /// <summary>The auth pool's cluster and service id (see the silo host): a client must name the same to connect.</summary>
    public const string ClusterId = "teleport";

    /// <param name="identity">The proxy's joined identity as it is now (renewed by the process).</param>
    /// <param name="listGateways">Asks the auth API, through the private load balancer, for the silos' Orleans gateways.</param>
    public static WebApplicationBuilder AddGatewayClient(
        this WebApplicationBuilder builder, Func<GatewayHostIdentity> identity, Func<CancellationToken, Task<IReadOnlyList<IPEndPoint>>> listGateways)
    {
        // The TLS layer logs each failed handshake with a stack trace; AuthPoolTls says why once instead.
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.Error);
        builder.Services.AddSingleton(sp => new AuthPoolTls(identity, sp.GetRequiredService<ILogger<AuthPoolTls>>()));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = ClusterId;
                cluster.ServiceId = ClusterId;
            });
            client.Services.AddSingleton<IGatewayListProvider>(sp => new AuthGatewayListProvider(listGateways, sp.GetRequiredService<ILogger<AuthGatewayListProvider>>()));
            // A joining auth server waits out this refresh before it reports ready (the silo's GatewayAnnouncement), so a
            // rolling restart never leaves a proxy knowing only gateways that are gone.
            client.Configure<global::Orleans.Configuration.GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = GatewayDiscovery.RefreshPeriod);
            client.Services.AddOptions<ClientConnectionOptions>().Configure<AuthPoolTls>((connections, tls) =>
                connections.ConfigureConnection(connection => connection.UseClientTls(tls.Options())));
            // Without a filter the client gives up after its first failed connect; a proxy may start before the auth pool.
            client.UseConnectionRetryFilter<ClientConnectRetry>();
            // A call an auth server refused while leaving the pool (rolling restart) goes to the server that stays.
            client.AddOutgoingGrainCallFilter<RejectedCallRetry>();
        });
        builder.Services.AddSingleton<ClientConnectRetry>();
        return builder;
    }
}
