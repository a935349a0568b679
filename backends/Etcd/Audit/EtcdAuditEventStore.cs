using System.Globalization;
using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Etcd.Audit;

/// <summary>
/// Audit events in etcd. Each event is a key <c>PREFIX/audit/events/MILLISECONDS/ID</c> (zero-padded, so keys sort by
/// time) holding the event as JSON, plus <c>PREFIX/audit/ids/ID</c> so that a retried event is stored once. etcd caps a
/// transaction's size, so a large batch is written in chunks: each chunk is whole or absent, and a batch retried after
/// a failure skips the chunks already stored.
/// </summary>
public sealed class EtcdAuditEventStore : IAuditEventStore
{
    private const int ChunkSize = 60; // two puts per event, under etcd's 128 operations per transaction
    private const int PageSize = 500;
    private const int MaxLimit = 10_000;

    private readonly EtcdDatabase _database;

    public EtcdAuditEventStore(EtcdDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.CheckReachableAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        foreach (var chunk in events.DistinctBy(e => e.Id).Chunk(ChunkSize))
        {
            // Stored ids are skipped; if another writer stores one of ours between the check and the write, the
            // transaction fails on its comparison and the chunk is checked again.
            while (true)
            {
                var stored = await StoredIdsAsync(chunk, cancellationToken);
                var fresh = chunk.Where(e => !stored.Contains(e.Id)).ToList();
                if (fresh.Count == 0)
                {
                    break;
                }

                var request = new TxnRequest();
                foreach (var auditEvent in fresh)
                {
                    var eventKey = EventKey(auditEvent.Time, auditEvent.Id);
                    request.Compare.Add(EtcdDatabase.CreatedAt(IdKey(auditEvent.Id), 0));
                    request.Success.Add(EtcdDatabase.Put(IdKey(auditEvent.Id), eventKey));
                    request.Success.Add(EtcdDatabase.Put(eventKey, ByteString.CopyFromUtf8(JsonSerializer.Serialize(auditEvent))));
                }

                if ((await _database.TxnAsync("audit-append", request, cancellationToken)).Succeeded)
                {
                    break;
                }
            }
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var (start, end) = (TimeKey(query.From), TimeKey(query.To.AddMilliseconds(1)));
        var found = new List<AuditEvent>();
        // Types are filtered here, not in etcd, so the range is read in pages until the limit is reached.
        while (found.Count < limit)
        {
            var page = await _database.RangeAsync("audit-search", new RangeRequest
            {
                Key = start,
                RangeEnd = end,
                Limit = PageSize,
                SortTarget = RangeRequest.Types.SortTarget.Key,
                SortOrder = query.Descending ? RangeRequest.Types.SortOrder.Descend : RangeRequest.Types.SortOrder.Ascend,
            }, cancellationToken);
            foreach (var kv in page.Kvs)
            {
                var auditEvent = JsonSerializer.Deserialize<AuditEvent>(kv.Value.Span)!;
                if ((query.Types.Length == 0 || query.Types.Contains(auditEvent.Type)) && found.Count < limit)
                {
                    found.Add(auditEvent);
                }
            }

            if (!page.More || page.Kvs.Count == 0)
            {
                break;
            }

            // The next page starts after the last key read (ascending) or ends before it (descending).
            var last = page.Kvs[^1].Key;
            (start, end) = query.Descending ? (start, last) : (ByteString.CopyFrom([.. last.Span, 0]), end);
        }

        return found;
    }

    private async Task<HashSet<string>> StoredIdsAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        var request = new TxnRequest();
        foreach (var auditEvent in events)
        {
            request.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = IdKey(auditEvent.Id), CountOnly = true } });
        }

        var response = await _database.TxnAsync("audit-check", request, cancellationToken);
        return [.. events.Where((_, i) => response.Responses[i].ResponseRange.Count > 0).Select(e => e.Id)];
    }

    private ByteString IdKey(string id) => _database.Key("audit", "ids", id);

    private ByteString EventKey(DateTimeOffset time, string id) => ByteString.CopyFromUtf8(TimeKey(time).ToStringUtf8() + id);

    /// <summary>The key prefix of one millisecond; events before 1970 are filed at its start.</summary>
    private ByteString TimeKey(DateTimeOffset time) =>
        _database.Key("audit", "events", Math.Max(0, time.ToUnixTimeMilliseconds()).ToString("D16", CultureInfo.InvariantCulture), "");
}
