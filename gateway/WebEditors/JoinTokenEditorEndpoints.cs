using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebEditors;

/// <summary>The join tokens page: <c>GET/POST /v1/webapi/tokens</c>, <c>DELETE /v1/webapi/tokens/{name}</c>.</summary>
internal static class JoinTokenEditorEndpoints
{
    private static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(30);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/tokens", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                (await WebUser.Require(context, grains, cache)).Demand(context, "token", "list");
                var now = DateTimeOffset.UtcNow;
                var tokens = (await grains.GetGrain<IResourceDirectoryGrain<JoinToken>>(IResourceDirectoryGrain<JoinToken>.DefaultKey).List())
                    .Where(t => t.Expires > now && t.UsedAt is null)
                    .OrderBy(t => t.Expires);
                return Results.Json(new { items = tokens.Select(Describe) });
            }));
        routes.MapPost("/v1/webapi/tokens", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "token", "create");
                var request = await JsonBody.Read<TokenRequest>(context.Request);
                if (request.Roles is not { Length: > 0 } roles)
                {
                    throw new BadRequestException("roles is required, e.g. [\"node\"]");
                }

                var ttl = request.ExpiresIn > 0 ? TimeSpan.FromSeconds(request.ExpiresIn) : DefaultTtl;
                var name = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var token = await grains.GetGrain<IJoinTokenGrain>(name).Create(roles, ttl, [], caller);
                return Results.Json(new { id = token.Name, roles = token.Roles, expiry = token.Expires.UtcDateTime });
            }));
        routes.MapDelete("/v1/webapi/tokens/{name}", (string name, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "token", "delete");
                await grains.GetGrain<IJoinTokenGrain>(name).Delete(caller);
                return Results.Json(new { });
            }));
    }

    private static object Describe(JoinToken token) => new
    {
        id = token.Name,
        // Teleport shows a masked name so a screen share does not leak the secret.
        safeName = token.Name.Length > 8 ? new string('*', token.Name.Length - 4) + token.Name[^4..] : token.Name,
        roles = token.Roles,
        expiry = token.Expires.UtcDateTime,
        createdBy = token.CreatedBy,
        isStatic = false,
    };

    private sealed record TokenRequest
    {
        [JsonPropertyName("roles")] public string[]? Roles { get; init; }
        /// <summary>Seconds; zero: 30 minutes, as tctl tokens add.</summary>
        [JsonPropertyName("expires_in")] public long ExpiresIn { get; init; }
    }
}
