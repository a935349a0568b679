using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.DynamoDb.Audit;

/// <summary>
/// Audit events in DynamoDB (<c>dynamodb://TABLE</c>): one item per event in partition <c>audit</c> with sort key
/// <c>MILLISECONDS#ID</c> (zero-padded, so a query by key range is a search by time in order). The key is the event's
/// own, so writing a batch again after a failure overwrites the same items with the same events: nothing is stored twice.
/// </summary>
public sealed class DynamoDbAuditEventStore : IAuditEventStore
{
    private const string Partition = "audit";
    private const int BatchSize = 25;
    private const int MaxLimit = 10_000;

    private readonly DynamoDbDatabase _database;

    public DynamoDbAuditEventStore(DynamoDbDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTableAsync(cancellationToken);

    public async Task AppendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        // DynamoDB refuses a batch that names one key twice.
        foreach (var batch in events.DistinctBy(e => e.Id).Chunk(BatchSize))
        {
            var requests = batch.Select(e => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>
            {
                [DynamoDbDatabase.PartitionKey] = new() { S = Partition },
                [DynamoDbDatabase.SortKey] = new() { S = TimeKey(e.Time) + "#" + e.Id },
                ["T"] = new() { S = e.Type },
                ["J"] = new() { S = JsonSerializer.Serialize(e) },
            }))).ToList();
            await _database.BatchWriteAsync("audit-append", requests, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, MaxLimit);
        var found = new List<AuditEvent>();
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
                    [":pk"] = new() { S = Partition },
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
            found.AddRange(page.Items.Take(limit - found.Count).Select(item => JsonSerializer.Deserialize<AuditEvent>(item["J"].S)!));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && found.Count < limit);

        return found;
    }

    /// <summary>Events before 1970 are filed at its start.</summary>
    private static string TimeKey(DateTimeOffset time) =>
        Math.Max(0, time.ToUnixTimeMilliseconds()).ToString("D16", CultureInfo.InvariantCulture);
}
