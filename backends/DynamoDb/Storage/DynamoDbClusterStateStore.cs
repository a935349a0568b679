using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.DynamoDb.Storage;

/// <summary>
/// Cluster state in DynamoDB: one item per record (<c>PK = state#STATE</c>, <c>SK = GRAIN</c>) with a version number
/// <c>V</c> that is the ETag; every write is a conditional put on it. DynamoDB caps an item at 400 KB, so a larger
/// record is kept in chunk items under a key of that write alone (<see cref="DynamoDbChunks"/>): the chunks are written
/// first and only the conditional put of the record item makes them visible, so a lost race leaves nothing behind.
/// </summary>
public sealed class DynamoDbClusterStateStore : IClusterStateStore
{
    private const string Version = "V";
    private const string Data = "D";

    private readonly DynamoDbDatabase _database;
    private readonly DynamoDbChunks _chunks;

    public DynamoDbClusterStateStore(DynamoDbDatabase database)
    {
        _database = database;
        _chunks = new DynamoDbChunks(database);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.EnsureTableAsync(cancellationToken);

    public async Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        // A chunked record replaced between reading its item and its chunks loses its chunks: read it again.
        while (true)
        {
            var item = await GetAsync(stateName, grainId, cancellationToken);
            if (item is null)
            {
                return null;
            }

            var data = item.TryGetValue(Data, out var inline) ? inline.B.ToArray() : await _chunks.ReadAsync(item, cancellationToken);
            if (data is not null)
            {
                return new StoredRecord(data, item[Version].N);
            }
        }
    }

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        var expected = expectedETag is null ? 0 : ParseETag(expectedETag);
        var next = (expected + 1).ToString(CultureInfo.InvariantCulture);
        var item = Key(stateName, grainId);
        item[Version] = new AttributeValue { N = next };
        var chunked = await _chunks.WriteAsync(data, item, cancellationToken);
        if (!chunked)
        {
            item[Data] = new AttributeValue { B = new MemoryStream(data.ToArray()) };
        }

        var request = new PutItemRequest { TableName = _database.TableName, Item = item, ReturnValues = ReturnValue.ALL_OLD };
        if (expectedETag is null)
        {
            request.ConditionExpression = "attribute_not_exists(PK)";
        }
        else
        {
            request.ConditionExpression = "V = :expected";
            request.ExpressionAttributeValues = new() { [":expected"] = new AttributeValue { N = expectedETag } };
        }

        try
        {
            var response = await _database.RunAsync("write", (client, token) => client.PutItemAsync(request, token), cancellationToken);
            await _chunks.DeleteAsync(response.Attributes, cancellationToken);
            return next;
        }
        catch (ConditionalCheckFailedException)
        {
            if (chunked)
            {
                await _chunks.DeleteAsync(item, cancellationToken);
            }

            // A caller retrying after a lost reply finds its own bytes one version past its ETag.
            var stored = await ReadAsync(stateName, grainId, cancellationToken);
            return stored is not null && stored.ETag == next && stored.Data.AsSpan().SequenceEqual(data.Span)
                ? next
                : throw Conflict(stateName, grainId, expectedETag, stored?.ETag);
        }
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        if (expectedETag is null)
        {
            // Nothing to delete; it only checks that nobody created the record meanwhile.
            if (await GetAsync(stateName, grainId, cancellationToken) is { } existing)
            {
                throw Conflict(stateName, grainId, null, existing[Version].N);
            }

            return;
        }

        ParseETag(expectedETag);
        var request = new DeleteItemRequest
        {
            TableName = _database.TableName,
            Key = Key(stateName, grainId),
            ConditionExpression = "V = :expected",
            ExpressionAttributeValues = new() { [":expected"] = new AttributeValue { N = expectedETag } },
            ReturnValues = ReturnValue.ALL_OLD,
        };
        try
        {
            var response = await _database.RunAsync("clear", (client, token) => client.DeleteItemAsync(request, token), cancellationToken);
            await _chunks.DeleteAsync(response.Attributes, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            throw Conflict(stateName, grainId, expectedETag, (await GetAsync(stateName, grainId, cancellationToken))?[Version].N);
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        var response = await _database.RunAsync("read", (client, token) => client.GetItemAsync(new GetItemRequest
        {
            TableName = _database.TableName,
            Key = Key(stateName, grainId),
            ConsistentRead = true,
        }, token), cancellationToken);
        return response.IsItemSet && response.Item.Count > 0 ? response.Item : null;
    }

    private static Dictionary<string, AttributeValue> Key(string stateName, string grainId) => new()
    {
        [DynamoDbDatabase.PartitionKey] = new AttributeValue { S = "state#" + stateName },
        // DynamoDB refuses an empty string key; every grain id is prefixed so that none is empty.
        [DynamoDbDatabase.SortKey] = new AttributeValue { S = "g#" + grainId },
    };

    private static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not issued by the DynamoDB backend", (string?)null, etag);

    private static InconsistentStateException Conflict(string stateName, string grainId, string? expectedETag, string? storedETag) =>
        new($"Stale write to {stateName} of {grainId}: stored ETag {storedETag ?? "(none)"}, caller had {expectedETag ?? "(none)"}", storedETag, expectedETag);
}
