using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.DynamoDb.Membership;

/// <summary>
/// The Orleans membership table in DynamoDB: one item per cluster (<c>PK = membership</c>, <c>SK = CLUSTER</c>) holding
/// the version <c>V</c>, its ETag <c>VE</c>, and per silo a row attribute <c>s:ADDRESS</c> (entry and row ETag) and an
/// alive attribute <c>a:ADDRESS</c>. Keeping the cluster in one item makes each read atomic and each change one
/// conditional update of version and row together; a cluster's rows are far below the 400 KB item limit.
/// </summary>
public sealed class DynamoDbMembershipStore : IMembershipStore
{
    private const string RowPrefix = "s:";
    private const string AlivePrefix = "a:";

    private readonly DynamoDbDatabase _database;

    public DynamoDbMembershipStore(DynamoDbDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTableAsync(cancellationToken);

    public async Task EnsureVersionAsync(string clusterId, CancellationToken cancellationToken)
    {
        var item = Key(clusterId);
        item["V"] = new AttributeValue { N = "0" };
        item["VE"] = new AttributeValue { S = NewETag() };
        try
        {
            await _database.RunAsync("membership-init", (client, token) => client.PutItemAsync(new PutItemRequest
            {
                TableName = _database.TableName,
                Item = item,
                ConditionExpression = "attribute_not_exists(PK)",
            }, token), cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The version row exists already.
        }
    }

    public async Task<MembershipSnapshot> ReadAsync(string clusterId, string? silo, CancellationToken cancellationToken)
    {
        var response = await _database.RunAsync("membership-read", (client, token) => client.GetItemAsync(new GetItemRequest
        {
            TableName = _database.TableName,
            Key = Key(clusterId),
            ConsistentRead = true,
        }, token), cancellationToken);
        if (!response.IsItemSet || response.Item.Count == 0)
        {
            return new MembershipSnapshot([], 0, "");
        }

        var item = response.Item;
        var records = item
            .Where(a => a.Key.StartsWith(RowPrefix, StringComparison.Ordinal) && (silo is null || a.Key == RowPrefix + silo))
            .Select(a =>
            {
                var address = a.Key[RowPrefix.Length..];
                var alive = item.TryGetValue(AlivePrefix + address, out var time) ? ParseTime(time.S) : default;
                return new MembershipRecord(address, a.Value.M["E"].S, alive, a.Value.M["T"].S);
            })
            .ToList();
        return new MembershipSnapshot(records, int.Parse(item["V"].N, CultureInfo.InvariantCulture), item["VE"].S);
    }

    public Task<bool> InsertAsync(string clusterId, MembershipRecord record, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-insert", clusterId, record, "attribute_not_exists(#row)", null, version, expectedVersionETag, cancellationToken);

    public Task<bool> UpdateAsync(string clusterId, MembershipRecord record, string expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken) =>
        WriteAsync("membership-update", clusterId, record, "#row.T = :rowETag", expectedETag, version, expectedVersionETag, cancellationToken);

    public async Task UpdateIAmAliveAsync(string clusterId, string silo, DateTime iAmAliveTime, CancellationToken cancellationToken)
    {
        try
        {
            // Only while the row exists: a heartbeat must not leave an alive time behind a cleaned-up row.
            await _database.RunAsync("membership-alive", (client, token) => client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _database.TableName,
                Key = Key(clusterId),
                UpdateExpression = "SET #alive = :alive",
                ConditionExpression = "attribute_exists(#row)",
                ExpressionAttributeNames = new() { ["#alive"] = AlivePrefix + silo, ["#row"] = RowPrefix + silo },
                ExpressionAttributeValues = new() { [":alive"] = new AttributeValue { S = FormatTime(iAmAliveTime) } },
            }, token), cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
        }
    }

    public async Task DeleteRowsAsync(string clusterId, IReadOnlyList<string> silos, CancellationToken cancellationToken)
    {
        foreach (var chunk in silos.Chunk(100))
        {
            var names = new Dictionary<string, string>();
            for (var i = 0; i < chunk.Length; i++)
            {
                names["#r" + i] = RowPrefix + chunk[i];
                names["#a" + i] = AlivePrefix + chunk[i];
            }

            try
            {
                await _database.RunAsync("membership-cleanup", (client, token) => client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = _database.TableName,
                    Key = Key(clusterId),
                    UpdateExpression = "REMOVE " + string.Join(", ", names.Keys),
                    // Without it, removing from a missing item would create an empty one.
                    ConditionExpression = "attribute_exists(PK)",
                    ExpressionAttributeNames = names,
                }, token), cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                return;
            }
        }
    }

    public Task DeleteClusterAsync(string clusterId, CancellationToken cancellationToken) =>
        _database.RunAsync("membership-delete", (client, token) => client.DeleteItemAsync(_database.TableName, Key(clusterId), token), cancellationToken);

    private async Task<bool> WriteAsync(string operation, string clusterId, MembershipRecord record, string rowCondition, string? expectedETag, int version, string expectedVersionETag, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":version"] = new() { N = version.ToString(CultureInfo.InvariantCulture) },
            [":versionETag"] = new() { S = NewETag() },
            [":expectedVersionETag"] = new() { S = expectedVersionETag },
            [":row"] = new() { M = new() { ["E"] = new() { S = record.Entry }, ["T"] = new() { S = NewETag() } } },
            [":alive"] = new() { S = FormatTime(record.IAmAliveTime) },
        };
        if (expectedETag is not null)
        {
            values[":rowETag"] = new() { S = expectedETag };
        }

        try
        {
            await _database.RunAsync(operation, (client, token) => client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _database.TableName,
                Key = Key(clusterId),
                UpdateExpression = "SET V = :version, VE = :versionETag, #row = :row, #alive = :alive",
                ConditionExpression = $"VE = :expectedVersionETag AND {rowCondition}",
                ExpressionAttributeNames = new() { ["#row"] = RowPrefix + record.Silo, ["#alive"] = AlivePrefix + record.Silo },
                ExpressionAttributeValues = values,
            }, token), cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private static Dictionary<string, AttributeValue> Key(string clusterId) => new()
    {
        [DynamoDbDatabase.PartitionKey] = new AttributeValue { S = "membership" },
        [DynamoDbDatabase.SortKey] = new AttributeValue { S = "c#" + clusterId },
    };

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static string FormatTime(DateTime time) => MembershipEntryCodec.ToUtc(time).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
