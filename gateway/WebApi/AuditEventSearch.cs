using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// The audit log page's search on <c>GET /v1/webapi/sites/{site}/events/search</c>: any event types, one user,
/// a time range, newest first by default, a page at a time. Needs list on <c>event</c> (tctl events' rule).
/// The page key is the last page's oldest millisecond and the ids already given at it, since several events can
/// share a millisecond.
/// </summary>
internal static class AuditEventSearch
{
    private const int MaxRounds = 10;

    public static async Task<IResult> Search(IGrainFactory grains, string[] types, string user, DateTimeOffset from, DateTimeOffset to, int limit, bool descending, string startKey)
    {
        var (keyTime, seenAtKey) = ParseKey(startKey);
        if (keyTime is { } at)
        {
            (from, to) = descending ? (from, at) : (at, to);
        }

        var page = new List<AuditEvent>(limit);
        var log = grains.GetGrain<IAuditLogGrain>(0);
        var exhausted = false;
        var full = false;
        for (var round = 0; round < MaxRounds && !full && !exhausted; round++)
        {
            var want = limit - page.Count + seenAtKey.Count + 1;
            var batch = await log.Search(new AuditQuery { From = from, To = to, Types = types, Limit = want, Descending = descending });
            exhausted = batch.Length < want;
            foreach (var found in batch)
            {
                var ms = found.Time.ToUnixTimeMilliseconds();
                if (keyTime is { } key && ms == key.ToUnixTimeMilliseconds() && seenAtKey.Contains(found.Id))
                {
                    continue;
                }

                if (user.Length == 0 || string.Equals(found.User, user, StringComparison.Ordinal))
                {
                    if (page.Count == limit)
                    {
                        // One more match than the page holds: there is a next page, starting at this event.
                        full = true;
                        break;
                    }

                    page.Add(found);
                }

                // Whatever is read, kept or filtered out, moves the window on.
                if (keyTime?.ToUnixTimeMilliseconds() != ms)
                {
                    keyTime = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                    seenAtKey = [];
                }

                seenAtKey.Add(found.Id);
            }

            if (keyTime is { } moved)
            {
                (from, to) = descending ? (from, moved) : (moved, to);
            }
        }

        var next = (full || !exhausted) && keyTime is { } last
            ? $"{last.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{string.Join(',', seenAtKey)}"
            : "";
        var events = new JsonArray([.. page.Select(e => JsonNode.Parse(e.Json))]);
        return Results.Json(new JsonObject { ["events"] = events, ["startKey"] = next });
    }

    private static (DateTimeOffset? Time, HashSet<string> Seen) ParseKey(string key)
    {
        if (key.Length == 0)
        {
            return (null, []);
        }

        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !long.TryParse(key.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            throw new BadRequestException("startKey is not a key this endpoint returned");
        }

        return (DateTimeOffset.FromUnixTimeMilliseconds(ms), [.. key[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)]);
    }
}
