using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Teleport.Orleans.Backends.DynamoDb.Storage;

/// <summary>
/// Records too large for one item (DynamoDB's limit is 400 KB) as chunk items <c>PK = chunk#WRITE</c>,
/// <c>SK = INDEX</c>, where WRITE is a fresh id per write. The record item names the write (<c>W</c>) and the chunk
/// count (<c>C</c>); chunks no record item names any more are deleted after the write that replaced them.
/// </summary>
internal sealed class DynamoDbChunks(DynamoDbDatabase database)
{
    /// <summary>Below the item limit with room for keys and the record's other attributes.</summary>
    internal const int ChunkSize = 350 * 1024;

    private const string WriteId = "W";
    private const string Count = "C";
    private const string Data = "D";
    private const int BatchSize = 25; // BatchWriteItem's limit

    /// <summary>Writes the chunks and names them in <paramref name="recordItem"/>; false when the data fits inline.</summary>
    public async Task<bool> WriteAsync(ReadOnlyMemory<byte> data, Dictionary<string, AttributeValue> recordItem, CancellationToken cancellationToken)
    {
        if (data.Length <= ChunkSize)
        {
            return false;
        }

        var writeId = Guid.NewGuid().ToString("N");
        var count = (data.Length + ChunkSize - 1) / ChunkSize;
        var requests = Enumerable.Range(0, count).Select(i => new WriteRequest(new PutRequest(new Dictionary<string, AttributeValue>(ChunkKey(writeId, i))
        {
            [Data] = new AttributeValue { B = new MemoryStream(data.Slice(i * ChunkSize, Math.Min(ChunkSize, data.Length - (i * ChunkSize))).ToArray()) },
        })));
        await BatchWriteAsync("write-chunks", requests, cancellationToken);
        recordItem[WriteId] = new AttributeValue { S = writeId };
        recordItem[Count] = new AttributeValue { N = count.ToString(CultureInfo.InvariantCulture) };
        return true;
    }

    /// <summary>The record's bytes from its chunks, or null when a chunk is gone (the record was replaced meanwhile).</summary>
    public async Task<byte[]?> ReadAsync(Dictionary<string, AttributeValue> recordItem, CancellationToken cancellationToken)
    {
        var (writeId, count) = (recordItem[WriteId].S, int.Parse(recordItem[Count].N, CultureInfo.InvariantCulture));
        using var data = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var response = await database.RunAsync("read-chunk", (client, token) => client.GetItemAsync(new GetItemRequest
            {
                TableName = database.TableName,
                Key = ChunkKey(writeId, i),
                ConsistentRead = true,
            }, token), cancellationToken);
            if (!response.IsItemSet || response.Item.Count == 0)
            {
                return null;
            }

            response.Item[Data].B.CopyTo(data);
        }

        return data.ToArray();
    }

    /// <summary>Deletes the chunks a (former) record item names, if any.</summary>
    public Task DeleteAsync(Dictionary<string, AttributeValue>? recordItem, CancellationToken cancellationToken)
    {
        if (recordItem is null || !recordItem.TryGetValue(WriteId, out var writeId) || !recordItem.TryGetValue(Count, out var count))
        {
            return Task.CompletedTask;
        }

        var requests = Enumerable.Range(0, int.Parse(count.N, CultureInfo.InvariantCulture))
            .Select(i => new WriteRequest(new DeleteRequest(ChunkKey(writeId.S, i))));
        return BatchWriteAsync("delete-chunks", requests, cancellationToken);
    }

    private async Task BatchWriteAsync(string operation, IEnumerable<WriteRequest> requests, CancellationToken cancellationToken)
    {
        foreach (var batch in requests.Chunk(BatchSize))
        {
            await database.BatchWriteAsync(operation, [.. batch], cancellationToken);
        }
    }

    private static Dictionary<string, AttributeValue> ChunkKey(string writeId, int index) => new()
    {
        [DynamoDbDatabase.PartitionKey] = new AttributeValue { S = "chunk#" + writeId },
        [DynamoDbDatabase.SortKey] = new AttributeValue { S = index.ToString("D6", CultureInfo.InvariantCulture) },
    };
}
