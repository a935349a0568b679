using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.DynamoDb.Audit;

/// <summary>
/// Audit events in DynamoDB (<c>dynamodb://TABLE</c>), spread so that no partition is hot: an event goes to partition
/// <c>audit#DAY#SHARD</c> (its UTC day, and one of <see cref="Shards"/> shards by a stable hash of its id) with sort
/// key <c>MILLISECONDS#ID</c> (zero-padded, so a key range is a time range in order). A search reads the days that
/// hold events (listed in partition <c>audit-days</c>, written before a day's first event) in order and, per day,
/// queries the shards in parallel and merges them by sort key. Every item carries the TTL attribute
/// <see cref="DynamoDbDatabase.ExpiresAttribute"/> (event time + retention), so DynamoDB deletes expired events.
/// The key is the event's own, so writing a batch again after a failure overwrites the same items: nothing is stored twice.
/// </summary>
public sealed class DynamoDbAuditEventStore : IAuditEventStore
{
    public const int Shards = 16;

    private const string DaysPartition = "audit-days";

    /// <summary>The one partition every event went to before they were spread (releases before the sharding).</summary>
    private const string LegacyPartition = "audit";
    private const int BatchSize = 25;
    private const int MaxLimit = 10_000;

    private readonly DynamoDbDatabase _database;
    private readonly TimeSpan _retention;
    private readonly HashSet<string> _daysWritten = [];

    /// <param name="retention">How long events are kept (TTL); default a year, as Teleport's.</param>
    public DynamoDbAuditEventStore(DynamoDbDatabase database, TimeSpan? retention = null)
    {
        _database = database;
        _retention = retention ?? TimeSpan.FromDays(365);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTableAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        var unique = events.DistinctBy(e => e.Id).ToList();
        await RecordDaysAsync(unique, cancellationToken);

        // DynamoDB refuses a batch that names one key twice.
        foreach (var batch in unique.Chunk(BatchSize))
        {
            var requests = batch.Select(e => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                [DynamoDbDatabase.PartitionKey] = new() { S = PartitionOf(Day(e.Time), ShardOf(e.Id)) },
                [DynamoDbDatabase.SortKey] = new() { S = TimeKey(e.Time) + "#" + e.Id },
                ["T"] = new() { S = e.Type },
                ["J"] = new() { S = JsonSerializer.Serialize(e) },
                [DynamoDbDatabase.ExpiresAttribute] = Expiry(e.Time + _retention),
            }))).ToList();
            await _database.BatchWriteAsync("audit-append", requests, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var found = new List<(string SortKey, AuditEvent Event)>();
        foreach (var day in await DaysAsync(query, cancellationToken))
        {
            var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard => QueryPartitionAsync(query, PartitionOf(day, shard), limit - found.Count, cancellationToken)));
            found.AddRange(InOrder(shards.SelectMany(items => items), query.Descending).Take(limit - found.Count));
            if (found.Count >= limit)
            {
                break;
            }
        }

        // Events written before the partitions were spread stay in the one partition they were written to: searched
        // too, so an upgrade loses none of them (an empty partition costs one query).
        var legacy = await QueryPartitionAsync(query, LegacyPartition, limit, cancellationToken);
        return [.. InOrder(found.Concat(legacy), query.Descending).Take(limit).Select(item => item.Event)];
    }

    private static IEnumerable<(string SortKey, AuditEvent Event)> InOrder(IEnumerable<(string SortKey, AuditEvent Event)> items, bool descending) =>
        descending
            ? items.OrderByDescending(item => item.SortKey, StringComparer.Ordinal)
            : items.OrderBy(item => item.SortKey, StringComparer.Ordinal);

    /// <summary>FNV-1a over the id's UTF-8: the same shard for the same id in every process (string hashes are randomized).</summary>
    internal static int ShardOf(string id)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % Shards);
    }

    internal static string PartitionOf(string day, int shard) => $"audit#{day}#{shard:D2}";

    /// <summary>The days of the new events, each written once per process, before any of its events.</summary>
    private async Task RecordDaysAsync(List<AuditEvent> events, CancellationToken cancellationToken)
    {
        List<(string Day, DateTimeOffset Start)> days;
        lock (_daysWritten)
        {
            days = [.. events.Select(e => (Day: Day(e.Time), Start: DayStart(e.Time))).DistinctBy(d => d.Day).Where(d => !_daysWritten.Contains(d.Day))];
        }

        foreach (var batch in days.Chunk(BatchSize))
        {
            var requests = batch.Select(d => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                [DynamoDbDatabase.PartitionKey] = new() { S = DaysPartition },
                [DynamoDbDatabase.SortKey] = new() { S = d.Day },
                // Outlives the day's last possible event by a day.
                [DynamoDbDatabase.ExpiresAttribute] = Expiry(d.Start.AddDays(2) + _retention),
            }))).ToList();
            await _database.BatchWriteAsync("audit-days", requests, cancellationToken);
        }

        lock (_daysWritten)
        {
            _daysWritten.UnionWith(days.Select(d => d.Day));
        }
    }

    /// <summary>The days between the query's bounds that hold events, in the query's order.</summary>
    private async Task<List<string>> DaysAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var days = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = _database.TableName,
                ConsistentRead = true,
                KeyConditionExpression = "PK = :pk AND SK BETWEEN :from AND :to",
                ExpressionAttributeValues = new()
                {
                    [":pk"] = new() { S = DaysPartition },
                    [":from"] = new() { S = Day(query.From) },
                    [":to"] = new() { S = Day(query.To) },
                },
                ScanIndexForward = !query.Descending,
                ExclusiveStartKey = start,
            };
            var page = await _database.RunAsync("audit-days", (client, token) => client.QueryAsync(request, token), cancellationToken);
            days.AddRange(page.Items.Select(item => item[DynamoDbDatabase.SortKey].S));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return days;
    }

    /// <summary>Up to <paramref name="limit"/> matching events of one partition (a shard of a day), in the query's order.</summary>
    private async Task<List<(string SortKey, AuditEvent Event)>> QueryPartitionAsync(AuditQuery query, string partition, int limit, CancellationToken cancellationToken)
    {
        var found = new List<(string, AuditEvent)>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = _database.TableName,
                ConsistentRead = true,
                KeyConditionExpression = "PK = :pk AND SK BETWEEN :from AND :to",
                ExpressionAttributeValues = new()
                {
                    [":pk"] = new() { S = partition },
                    [":from"] = new() { S = TimeKey(query.From) },
                    // '$' sorts after the '#' that ends every key's time, so the last millisecond is included.
                    [":to"] = new() { S = TimeKey(query.To) + "$" },
                },
                ScanIndexForward = !query.Descending,
                ExclusiveStartKey = start,
            };
            if (query.Types.Length > 0)
            {
                var names = query.Types.Select((type, i) => (Name: ":t" + i, Type: type)).ToList();
                request.FilterExpression = $"T IN ({string.Join(", ", names.Select(n => n.Name))})";
                names.ForEach(n => request.ExpressionAttributeValues[n.Name] = new() { S = n.Type });
            }

            var page = await _database.RunAsync("audit-search", (client, token) => client.QueryAsync(request, token), cancellationToken);
            found.AddRange(page.Items.Take(limit - found.Count).Select(item => (item[DynamoDbDatabase.SortKey].S, JsonSerializer.Deserialize<AuditEvent>(item["J"].S)!)));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && found.Count < limit);

        return found;
    }

    private static AttributeValue Expiry(DateTimeOffset time) =>
        new() { N = Math.Max(0, time.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture) };

    /// <summary>Events before 1970 are filed at its start.</summary>
    private static DateTimeOffset Clamp(DateTimeOffset time) => time < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : time;

    private static string Day(DateTimeOffset time) => Clamp(time).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset DayStart(DateTimeOffset time) => new(Clamp(time).UtcDateTime.Date, TimeSpan.Zero);

    private static string TimeKey(DateTimeOffset time) =>
        Math.Max(0, time.ToUnixTimeMilliseconds()).ToString("D16", CultureInfo.InvariantCulture);
}
