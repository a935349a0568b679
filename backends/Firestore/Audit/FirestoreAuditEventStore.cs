using System.Text;
using System.Text.Json.Nodes;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Backends.Firestore.Client;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Firestore.Audit;

/// <summary>
/// Audit events in a Firestore collection of their own (<c>firestore://COLLECTION</c>), one document per event named
/// by its id (URL-safe base64), with Teleport's event fields: <c>eventType</c>, <c>createdAt</c> (here in
/// milliseconds), <c>fields</c> (the event's JSON), and <c>expires</c> when a retention period is set, for the purge.
/// Each commit creates its events only where no document exists, so an event appended again is stored once. Searches
/// read the time range in order, page by page, and filter types here: a query on the single field needs no composite
/// index, which Firestore would otherwise make the operator create.
/// </summary>
public sealed class FirestoreAuditEventStore : IAuditEventStore
{
    private const int PageSize = 500;
    private const int MaxLimit = 10_000;

    /// <summary>Keeps a commit well under Firestore's 10 MiB request limit.</summary>
    private const int MaxCommitBytes = 4 * 1024 * 1024;

    private readonly FirestoreDatabase _database;
    private readonly TimeSpan? _retention;

    public FirestoreAuditEventStore(FirestoreDatabase database)
    {
        _database = database;
        _retention = database.Options.EventRetention;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        foreach (var batch in Batches(events.DistinctBy(e => e.Id)))
        {
            // Stored ids are skipped; when one of the batch exists, the commit changes nothing and the batch is checked.
            var fresh = batch;
            while (fresh.Count > 0)
            {
                try
                {
                    await _database.RunAsync("audit-append", (client, token) => client.CommitAsync([.. fresh.Select(Create)], token), cancellationToken);
                    break;
                }
                catch (Client.FirestoreException ex) when (ex.IsPreconditionFailure)
                {
                    var names = fresh.Select(e => Name(e.Id)).ToList();
                    var stored = await _database.RunAsync("audit-check", (client, token) => client.BatchGetAsync(names, token), cancellationToken);
                    fresh = [.. fresh.Where((_, i) => stored[i] is null)];
                }
            }
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var found = new List<AuditEvent>();
        JsonObject? after = null;
        while (found.Count < limit)
        {
            var structured = new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject { ["collectionId"] = _database.Collection }),
                ["where"] = FirestoreValues.And(
                    FirestoreValues.FieldFilter("createdAt", "GREATER_THAN_OR_EQUAL", FirestoreValues.Integer(query.From.ToUnixTimeMilliseconds())),
                    FirestoreValues.FieldFilter("createdAt", "LESS_THAN_OR_EQUAL", FirestoreValues.Integer(query.To.ToUnixTimeMilliseconds()))),
                ["orderBy"] = new JsonArray(FirestoreValues.Order("createdAt", query.Descending), FirestoreValues.Order("__name__", query.Descending)),
                ["limit"] = PageSize,
            };
            if (after is not null)
            {
                structured["startAt"] = after;
            }

            var page = await _database.RunAsync("audit-search", (client, token) => client.RunQueryAsync(structured, token), cancellationToken);
            foreach (var document in page)
            {
                var auditEvent = ToEvent(document);
                if ((query.Types.Length == 0 || query.Types.Contains(auditEvent.Type)) && found.Count < limit)
                {
                    found.Add(auditEvent);
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            // The next page starts after the last document read.
            var last = page[^1];
            after = new JsonObject
            {
                ["values"] = new JsonArray(FirestoreValues.Integer(last.Integer("createdAt")), FirestoreValues.Reference(last.Name)),
                ["before"] = false,
            };
        }

        return found;
    }

    private string Name(string id) => _database.Client.DocumentName(_database.Collection, FirestoreDatabase.DocumentId(id));

    private JsonObject Create(AuditEvent auditEvent)
    {
        var fields = new JsonObject
        {
            ["id"] = FirestoreValues.String(auditEvent.Id),
            ["eventType"] = FirestoreValues.String(auditEvent.Type),
            ["code"] = FirestoreValues.String(auditEvent.Code),
            ["createdAt"] = FirestoreValues.Integer(auditEvent.Time.ToUnixTimeMilliseconds()),
            ["user"] = FirestoreValues.String(auditEvent.User),
            ["fields"] = FirestoreValues.String(auditEvent.Json),
            ["expires"] = FirestoreValues.Integer(_retention is { } retention ? (auditEvent.Time + retention).ToUnixTimeSeconds() : 0),
        };
        return FirestoreValues.Set(Name(auditEvent.Id), fields, FirestoreValues.Missing());
    }

    private static AuditEvent ToEvent(FirestoreDocument document) => new()
    {
        Id = document.String("id"),
        Type = document.String("eventType"),
        Code = document.String("code"),
        Time = DateTimeOffset.FromUnixTimeMilliseconds(document.Integer("createdAt")),
        User = document.String("user"),
        Json = document.String("fields"),
    };

    /// <summary>At most 500 events (Firestore's writes per commit) and about 4 MiB per commit.</summary>
    private static IEnumerable<List<AuditEvent>> Batches(IEnumerable<AuditEvent> events)
    {
        var batch = new List<AuditEvent>();
        var bytes = 0;
        foreach (var auditEvent in events)
        {
            var size = Encoding.UTF8.GetByteCount(auditEvent.Json) + 512;
            if (batch.Count > 0 && (batch.Count == FirestoreDatabase.MaxWritesPerCommit || bytes + size > MaxCommitBytes))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(auditEvent);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
