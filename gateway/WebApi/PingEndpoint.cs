using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary><c>GET /webapi/ping</c>: what a client needs before login, in the shape of Teleport's ping response.</summary>
internal static class PingEndpoint
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/webapi/ping", Ping);
        routes.MapGet("/v1/webapi/ping", Ping);
    }

    private static async Task<IResult> Ping(IGrainFactory grains, GatewayOptions options)
    {
        var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
        return Results.Json(new
        {
            auth = new
            {
                type = settings.AuthPreference.Type,
                second_factor = settings.AuthPreference.SecondFactor.ToString().ToLowerInvariant(),
                local = new { name = "" },
            },
            proxy = new
            {
                ssh = new
                {
                    listen_addr = options.SshPublicAddr,
                    tunnel_listen_addr = options.TunnelPublicAddr,
                    web_listen_addr = options.PublicAddr,
                    public_addr = options.PublicAddr,
                    ssh_public_addr = options.SshPublicAddr,
                    tunnel_public_addr = options.TunnelPublicAddr,
                    ssh_tunnel_public_addr = options.TunnelPublicAddr,
                },
                tls_routing_enabled = options.Multiplex,
            },
            server_version = options.Version,
            min_client_version = options.Version,
            cluster_name = settings.ClusterName,
        });
    }
}
