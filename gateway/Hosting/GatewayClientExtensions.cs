using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Makes a proxy-only process an Orleans client of the auth pool, so the gateway gets its <see cref="IGrainFactory"/>
/// from the client instead of a silo in the same process.
/// </summary>
public static class GatewayClientExtensions
{
    /// <summary>The auth pool's cluster and service id (see the silo host): a client must name the same to connect.</summary>
    public const string ClusterId = "teleport";

    /// <param name="clustering">How the client finds the silos' gateways: the membership table in the shared backend.</param>
    public static WebApplicationBuilder AddGatewayClient(this WebApplicationBuilder builder, Action<IClientBuilder> clustering)
    {
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = ClusterId;
                cluster.ServiceId = ClusterId;
            });
            clustering(client);
            // Without a filter the client gives up after its first failed connect; a proxy may start before the auth pool.
            client.UseConnectionRetryFilter<ClientConnectRetry>();
        });
        builder.Services.AddSingleton<ClientConnectRetry>();
        return builder;
    }
}
