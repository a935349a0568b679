using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    /// <summary>The active silos' Orleans gateways, from the membership this silo sees; for proxies only.</summary>
    public override async Task<ListAuthGatewaysResponse> ListAuthGateways(ListAuthGatewaysRequest request, ServerCallContext context)
    {
        var identity = authorizer.RequireAuthenticated(context);
        if (!identity.HasSystemRole("Proxy"))
        {
            throw AuthException.AccessDenied("only proxies may list the auth servers' Orleans gateways");
        }

        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var response = new ListAuthGatewaysResponse();
        response.Endpoints.AddRange(hosts
            .Where(h => h.ProxyPort > 0)
            .Select(h => new System.Net.IPEndPoint(h.SiloAddress.Endpoint.Address, h.ProxyPort).ToString()));
        return response;
    }
}
