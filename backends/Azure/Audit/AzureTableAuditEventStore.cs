using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Azure.Audit;

/// <summary>
/// Audit events in an Azure Table. Each event is stored twice, in partition <c>asc</c> under <c>MILLISECONDS_ID</c>
/// and in <c>desc</c> under the inverted time, because the Table service reads a partition in ascending key order only:
/// either direction of search is then one range query. Writes are upserts of the event's own keys in entity-group
/// transactions of 100, so a batch written again after a failure stores nothing twice.
/// </summary>
public sealed class AzureTableAuditEventStore : IAuditEventStore
{
    private const int TransactionSize = 100;
    private const int MaxLimit = 10_000;
    private const long MaxMilliseconds = 9_999_999_999_999_999;

    private readonly AzureTables _tables;
    private readonly TableClient _table;

    public AzureTableAuditEventStore(AzureTables tables, string tableName)
    {
        _tables = tables;
        _table = tables.Table(tableName);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _tables.EnsureTableAsync(_table.Name, cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        var unique = events.DistinctBy(e => e.Id).ToList();
        foreach (var partition in new[] { "asc", "desc" })
        {
            foreach (var batch in unique.Chunk(TransactionSize))
            {
                var actions = batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(partition, e.Time, e.Id))
                {
                    ["Type"] = e.Type,
                    ["Json"] = JsonSerializer.Serialize(e),
                })).ToList();
                await _tables.RunAsync("audit-append", token => _table.SubmitTransactionAsync(actions, token), cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var partition = query.Descending ? "desc" : "asc";
        var (low, high) = query.Descending ? (query.To, query.From) : (query.From, query.To);
        // '`' sorts after the '_' that ends every key's time, so the last millisecond is included.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {TimeKey(partition, low)} and RowKey lt {TimeKey(partition, high) + "`"}");
        if (query.Types.Length > 0)
        {
            filter += " and (" + string.Join(" or ", query.Types.Select(t => TableClient.CreateQueryFilter($"Type eq {t}"))) + ")";
        }

        return await _tables.RunAsync("audit-search", async token =>
        {
            var found = new List<AuditEvent>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit, 1000), select: ["Json"], cancellationToken: token))
            {
                found.Add(JsonSerializer.Deserialize<AuditEvent>(entity.GetString("Json"))!);
                if (found.Count == limit)
                {
                    break;
                }
            }

            return found;
        }, cancellationToken);
    }

    private static string RowKey(string partition, DateTimeOffset time, string id) => TimeKey(partition, time) + "_" + Uri.EscapeDataString(id);

    /// <summary>Events before 1970 are filed at its start; in <c>desc</c> later times get smaller keys.</summary>
    private static string TimeKey(string partition, DateTimeOffset time)
    {
        var milliseconds = Math.Max(0, time.ToUnixTimeMilliseconds());
        return (partition == "desc" ? MaxMilliseconds - milliseconds : milliseconds).ToString("D16", CultureInfo.InvariantCulture);
    }
}
