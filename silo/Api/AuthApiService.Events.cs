using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    public override async Task<SearchEventsResponse> SearchEvents(SearchEventsRequest request, ServerCallContext context)
    {
        await authorizer.Authorize(context, "event", "list");
        var now = DateTimeOffset.UtcNow;
        var query = new AuditQuery
        {
            From = request.From?.ToDateTimeOffset() ?? now.AddDays(-1),
            To = request.To?.ToDateTimeOffset() ?? now,
            Types = [.. request.EventTypes],
            Limit = request.Limit > 0 ? request.Limit : 500,
            Descending = request.Descending,
        };
        var events = await grains.GetGrain<IAuditLogGrain>(0).Search(query);
        var response = new SearchEventsResponse();
        response.Events.AddRange(events.Select(e => e.Json));
        return response;
    }
}
