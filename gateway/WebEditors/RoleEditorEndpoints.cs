using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebEditors;

/// <summary>
/// The roles page, YAML in and out as <c>tctl create</c> / <c>tctl get</c>: <c>GET/POST /v1/webapi/roles</c>,
/// <c>PUT/DELETE /v1/webapi/roles/{name}</c>. A YAML or validation error is a 400 whose message says what and where.
/// </summary>
internal static class RoleEditorEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/roles", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                (await WebUser.Require(context, grains, cache)).Demand(context, "role", "list");
                var roles = await grains.GetGrain<IResourceDirectoryGrain<Role>>(IResourceDirectoryGrain<Role>.DefaultKey).List();
                return Results.Json(roles.OrderBy(r => r.Name, StringComparer.Ordinal).Select(Describe));
            }));
        routes.MapPost("/v1/webapi/roles", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Save(context, grains, cache, name: null)));
        routes.MapPut("/v1/webapi/roles/{name}", (string name, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Save(context, grains, cache, name)));
        routes.MapDelete("/v1/webapi/roles/{name}", (string name, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "role", "delete");
                await grains.GetGrain<IRoleGrain>(name).Delete(caller);
                return Results.Json(new { });
            }));
    }

    /// <summary>POST creates (409 if the role exists); PUT replaces the named role.</summary>
    private static async Task<IResult> Save(HttpContext context, IGrainFactory grains, RoutingCache cache, string? name)
    {
        var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "role", name is null ? "create" : "update");
        var request = await JsonBody.Read<RoleRequest>(context.Request);
        if (string.IsNullOrWhiteSpace(request.Content))
        {
            throw new BadRequestException("content is required: the role as YAML");
        }

        IReadOnlyList<ResourceDocument> documents;
        try
        {
            documents = ResourceYaml.Parse(request.Content);
        }
        catch (ResourceFormatException ex)
        {
            throw new BadRequestException(ex.Message);
        }

        if (documents is not [RoleDocument { Role: var role }])
        {
            throw new BadRequestException("content must be exactly one resource of kind role");
        }

        if (name is not null && !string.Equals(role.Name, name, StringComparison.Ordinal))
        {
            throw new BadRequestException($"the YAML names role \"{role.Name}\", not \"{name}\"; a role cannot be renamed");
        }

        var saved = await grains.GetGrain<IRoleGrain>(role.Name).Save(role, upsert: name is not null, caller);
        return Results.Json(Describe(saved));
    }

    private static object Describe(Role role) => new
    {
        id = $"role:{role.Name}",
        kind = "role",
        name = role.Name,
        content = ResourceYaml.ToYaml([new RoleDocument(role)]),
    };

    private sealed record RoleRequest
    {
        [JsonPropertyName("content")] public string? Content { get; init; }
    }
}
