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
/// The locks page, Teleport's routes: <c>GET/PUT /v1/webapi/sites/{site}/locks</c>,
/// <c>DELETE /v1/webapi/sites/{site}/locks/{name}</c>. A lock made here is the resource <c>tctl lock</c> makes.
/// </summary>
internal static class LockEditorEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/sites/{site}/locks", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                (await WebUser.Require(site, context, grains, cache)).Demand(context, "lock", "list");
                var now = DateTimeOffset.UtcNow;
                var locks = (await grains.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey).List())
                    .Where(l => l.InForce(now))
                    .OrderByDescending(l => l.CreatedAt);
                return Results.Json(locks.Select(Describe));
            }));
        routes.MapPut("/v1/webapi/sites/{site}/locks", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Create(site, context, grains, cache)));
        routes.MapDelete("/v1/webapi/sites/{site}/locks/{name}", (string site, string name, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(async () =>
            {
                var caller = (await WebUser.Require(site, context, grains, cache)).Demand(context, "lock", "delete");
                await grains.GetGrain<ILockGrain>(name).Delete(caller);
                return Results.Json(new { });
            }));
    }

    private static async Task<IResult> Create(string site, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        var caller = (await WebUser.Require(site, context, grains, cache)).Demand(context, "lock", "create");
        var request = await JsonBody.Read<LockRequest>(context.Request);
        var targets = request.Targets ?? [];
        if (targets.Keys.FirstOrDefault(k => k is not ("user" or "login" or "node")) is { } unknown)
        {
            throw new BadRequestException($"lock target \"{unknown}\" is not supported: use user, login or node");
        }

        string Target(string key) => targets.TryGetValue(key, out var value) ? value.Trim() : "";
        var target = new LockTarget { User = Target("user"), Login = Target("login"), Node = Target("node") };
        if (target.User.Length == 0 && target.Login.Length == 0 && target.Node.Length == 0)
        {
            throw new BadRequestException("a lock needs a target: user, login or node");
        }

        DateTimeOffset? expires = null;
        if (!string.IsNullOrWhiteSpace(request.Ttl))
        {
            if (!GoDuration.TryParse(request.Ttl.Trim(), out var ttl, out var error) || ttl <= TimeSpan.Zero)
            {
                throw new BadRequestException($"ttl \"{request.Ttl}\" is not a positive duration such as 30m or 2h{(error is null ? "" : $": {error}")}");
            }

            expires = DateTimeOffset.UtcNow + ttl;
        }

        var name = Guid.NewGuid().ToString();
        var saved = await grains.GetGrain<ILockGrain>(name).Save(new AccessLock
        {
            Name = name,
            Target = target,
            Message = request.Message?.Trim() ?? "",
            Expires = expires,
        }, upsert: false, caller);
        return Results.Json(Describe(saved));
    }

    private static object Describe(AccessLock accessLock) => new
    {
        name = accessLock.Name,
        message = accessLock.Message,
        expires = accessLock.Expires?.UtcDateTime,
        createdAt = accessLock.CreatedAt.UtcDateTime,
        createdBy = accessLock.CreatedBy,
        targets = new[] { ("user", accessLock.Target.User), ("login", accessLock.Target.Login), ("node", accessLock.Target.Node) }
            .Where(t => t.Item2.Length > 0)
            .Select(t => new { kind = t.Item1, name = t.Item2 }),
    };

    private sealed record LockRequest
    {
        [JsonPropertyName("targets")] public Dictionary<string, string>? Targets { get; init; }
        [JsonPropertyName("message")] public string? Message { get; init; }
        /// <summary>A duration (30m, 2h); empty: the lock never expires.</summary>
        [JsonPropertyName("ttl")] public string? Ttl { get; init; }
    }
}
