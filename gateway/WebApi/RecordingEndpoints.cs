using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Routing;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// Teleport's recording and audit paths, for <c>tsh recordings ls</c>, <c>tsh play</c> and the web UI:
/// <c>GET /v1/webapi/sites/{site}/events/search?from=&amp;to=&amp;limit=&amp;include=session.end&amp;startKey=</c> lists finished
/// sessions (other types, <c>user=</c> or <c>order=asc</c>: the audit log, <see cref="AuditEventSearch"/>), <c>GET /v1/webapi/sites/{site}/sessions/{sid}/stream?offset=&amp;bytes=</c> sends the recording's bytes.
/// The user's roles must allow list (resp. read) on <c>session</c>, as the auth API's ListRecordings and
/// DownloadRecording demand.
/// </summary>
internal static class RecordingEndpoints
{
    private const int DefaultLimit = 500;
    private const int MaxLimit = 1000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webapi/sites/{site}/events/search", (string site, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Search(site, context, grains, cache)));
        routes.MapGet("/v1/webapi/sites/{site}/sessions/{sid}/stream", (string site, string sid, HttpContext context, IGrainFactory grains, RoutingCache cache) =>
            WebApiError.Guard(() => Stream(site, sid, context, grains, cache)));
    }

    private static async Task<IResult> Search(string site, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        var user = await WebUser.Require(site, context, grains, cache);
        var query = context.Request.Query;
        var include = query["include"].SelectMany(i => (i ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray();
        var byUser = query["user"].ToString().Trim();
        var now = DateTimeOffset.UtcNow;
        var from = Time(query["from"], "from") ?? now.AddDays(-30);
        var to = Time(query["to"], "to") ?? now.AddMinutes(1);
        if (to < from)
        {
            throw new BadRequestException("\"to\" is before \"from\"");
        }

        var limit = int.TryParse(query["limit"], out var l) && l > 0 ? Math.Min(l, MaxLimit) : DefaultLimit;
        var order = query["order"].ToString();
        if (order.Length > 0 && order is not ("asc" or "desc"))
        {
            throw new BadRequestException($"order \"{order}\" is not asc or desc");
        }

        if (include is not [var only] || only != AuditEventTypes.SessionEnd.Name || byUser.Length > 0 || order == "asc")
        {
            // The audit log page: any events, which the rule on "event" guards (tctl events' rule).
            user.Demand(context, "event", "list");
            return await AuditEventSearch.Search(grains, include, byUser, from, to, limit, descending: order != "asc", query["startKey"].ToString());
        }

        // Recordings (tsh recordings ls, the recordings page): session.end events, which the rule on "session" guards.
        user.Demand(context, "session", "list");
        var page = await grains.GetGrain<IRecordingReaderGrain>(0).ListSessionEnds(from, to, limit, query["startKey"].ToString());
        var items = new JsonArray([.. page.Events.Select(json => JsonNode.Parse(json))]);
        return Results.Json(new JsonObject { ["events"] = items, ["startKey"] = page.NextKey });
    }

    private static async Task<IResult> Stream(string site, string sid, HttpContext context, IGrainFactory grains, RoutingCache cache)
    {
        await AuthorizeAsync(site, context, grains, cache, "read");
        if (!SessionIds.IsValid(sid))
        {
            throw new BadRequestException($"\"{sid}\" is not a session id (letters, digits, '-' and '_')");
        }

        var query = context.Request.Query;
        var offset = long.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var remaining = long.TryParse(query["bytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : long.MaxValue;
        var reader = grains.GetGrain<IRecordingReaderGrain>(0);
        // The first slice is read before answering, so a missing recording is a 404 and not an empty 200.
        var first = await reader.Read(sid, offset, SliceSize(remaining))
            ?? throw AuthException.NotFound($"no recording of session \"{sid}\"");
        return Results.Stream(async body =>
        {
            var slice = first;
            while (true)
            {
                await body.WriteAsync(slice.Data, context.RequestAborted);
                offset += slice.Data.Length;
                remaining -= slice.Data.Length;
                if (slice.End || slice.Data.Length == 0 || remaining <= 0)
                {
                    return;
                }

                slice = await reader.Read(sid, offset, SliceSize(remaining));
                if (slice is null)
                {
                    return;
                }
            }
        }, "application/octet-stream");
    }

    private static int SliceSize(long remaining) => (int)Math.Min(remaining, IRecordingReaderGrain.MaxSlice);

    private static async Task AuthorizeAsync(string site, HttpContext context, IGrainFactory grains, RoutingCache cache, string verb) =>
        (await WebUser.Require(site, context, grains, cache)).Demand(context, "session", verb);

    private static DateTimeOffset? Time(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new BadRequestException($"\"{name}\" is not a time (RFC 3339): \"{text}\"");
    }
}
