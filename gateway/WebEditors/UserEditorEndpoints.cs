using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebEditors;

/// <summary>
/// The users page: <c>GET/POST/PUT /v1/webapi/users</c>, <c>DELETE /v1/webapi/users/{name}</c> and invite or reset
/// links (<c>POST /v1/webapi/users/password/token</c>). Each call demands the role rule tctl's call demands.
/// </summary>
internal static class UserEditorEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/users", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                (await WebUser.Require(context, grains, cache)).Demand(context, "user", "list");
                var users = await grains.GetGrain<IResourceDirectoryGrain<User>>(IResourceDirectoryGrain<User>.DefaultKey).List();
                return Results.Json(users.OrderBy(u => u.Name, StringComparer.Ordinal).Select(Describe));
            }));
        routes.MapPost("/v1/webapi/users", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Save(context, grains, cache, upsert: false)));
        routes.MapPut("/v1/webapi/users", (HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Save(context, grains, cache, upsert: true)));
        routes.MapDelete("/v1/webapi/users/{name}", (string name, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "user", "delete");
                await grains.GetGrain<IUserGrain>(name).Delete(caller);
                return Results.Json(new { });
            }));
        routes.MapPost("/v1/webapi/users/password/token", (HttpContext context, IGrainFactory grains, RoutingCache cache, GatewayOptions options) =>
            WebApiError.Guard(() => CreateToken(context, grains, cache, options)));
    }

    private static async Task<IResult> Save(HttpContext context, IGrainFactory grains, RoutingCache cache, bool upsert)
    {
        var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "user", upsert ? "update" : "create");
        var request = await JsonBody.Read<UserRequest>(context.Request);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new BadRequestException("name is required");
        }

        var grain = grains.GetGrain<IUserGrain>(request.Name);
        var existing = upsert
            ? await grain.Get() ?? throw AuthException.NotFound($"user \"{request.Name}\" is not found")
            : null;
        var traits = new Dictionary<string, string[]>(existing?.Traits ?? [], StringComparer.Ordinal);
        foreach (var (key, values) in request.Traits ?? [])
        {
            traits[key] = values;
        }

        var user = (existing ?? new User { Name = request.Name }) with { Roles = request.Roles ?? [], Traits = traits };
        return Results.Json(Describe(await grain.Save(user, upsert, caller)));
    }

    private static async Task<IResult> CreateToken(HttpContext context, IGrainFactory grains, RoutingCache cache, GatewayOptions options)
    {
        var caller = (await WebUser.Require(context, grains, cache)).Demand(context, "user", "update");
        var request = await JsonBody.Read<TokenRequest>(context.Request);
        var kind = request.Type switch
        {
            null or "" or "invite" => UserTokenKind.Invite,
            "reset" => UserTokenKind.Reset,
            _ => throw new BadRequestException($"unknown token type \"{request.Type}\": use invite or reset"),
        };
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new BadRequestException("name is required");
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var token = await grains.GetGrain<IUserTokenGrain>(secret).Create(request.Name, kind, TimeSpan.Zero, caller);
        var path = kind == UserTokenKind.Invite ? "invite" : "reset";
        return Results.Json(new { tokenId = token.Id, user = token.User, expiry = token.Expires.UtcDateTime, url = $"https://{options.PublicAddr}/web/{path}/{token.Id}" });
    }

    private static object Describe(User user) => new
    {
        name = user.Name,
        roles = user.Roles,
        authType = "local",
        traits = user.Traits,
        createdBy = user.CreatedBy,
        lockedUntil = user.LockedUntil is { } until && until > DateTimeOffset.UtcNow ? until.UtcDateTime : (DateTime?)null,
    };

    private sealed record UserRequest
    {
        [JsonPropertyName("name")] public string? Name { get; init; }
        [JsonPropertyName("roles")] public string[]? Roles { get; init; }
        [JsonPropertyName("traits")] public Dictionary<string, string[]>? Traits { get; init; }
    }

    private sealed record TokenRequest
    {
        [JsonPropertyName("name")] public string? Name { get; init; }
        [JsonPropertyName("type")] public string? Type { get; init; }
    }
}
