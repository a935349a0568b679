using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Storage;

namespace Teleport.Orleans.Backends.Azure.Storage;

/// <summary>
/// Cluster state in an Azure Table: partition = the state name, one record entity per grain (row <c>g GRAIN</c>)
/// holding a version <c>V</c> (the ETag callers see) and the first part of the data. Table properties hold 64 KB, so a
/// larger record continues in chunk entities (row <c>c GRAIN|INDEX</c>) in the same partition; each write replaces the
/// record entity (conditional on the service's ETag) and its chunks in one entity-group transaction, all or nothing.
/// </summary>
public sealed class AzureTableClusterStateStore : IClusterStateStore
{
    /// <summary>Under the 64 KB property limit; the transaction's 4 MB (base64) bounds a record at <see cref="MaxRecordSize"/>.</summary>
    internal const int ChunkSize = 60 * 1024;
    internal const int MaxRecordSize = 2 * 1024 * 1024;

    private readonly AzureTables _tables;
    private readonly TableClient _table;

    public AzureTableClusterStateStore(AzureTables tables, string tableName)
    {
        _tables = tables;
        _table = tables.Table(tableName);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _tables.EnsureTableAsync(_table.Name, cancellationToken);

    public async Task<StoredRecord?> ReadAsync(string stateName, string grainId, CancellationToken cancellationToken) =>
        (await ReadStoredAsync(stateName, grainId, cancellationToken))?.Record;

    public async Task<string> WriteAsync(string stateName, string grainId, ReadOnlyMemory<byte> data, string? expectedETag, CancellationToken cancellationToken)
    {
        if (data.Length > MaxRecordSize)
        {
            throw new ArgumentException($"record {stateName} of {grainId} is {data.Length} bytes; the Azure Table backend keeps at most {MaxRecordSize}");
        }

        var expected = expectedETag is null ? 0 : ParseETag(expectedETag);
        var stored = await ReadStoredAsync(stateName, grainId, cancellationToken);
        var next = (expected + 1).ToString(CultureInfo.InvariantCulture);
        if ((stored?.Version ?? 0) != expected || (expectedETag is not null && stored is null))
        {
            return Repeated(stored, next, data) ? next : throw Conflict(stateName, grainId, expectedETag, stored?.Record.ETag);
        }

        var (partition, grain) = (Partition(stateName), Grain(grainId));
        var chunks = Chunk(data);
        var record = new TableEntity(partition, "g" + grain) { ["V"] = expected + 1, ["N"] = chunks.Count, ["D"] = chunks[0] };
        var actions = new List<TableTransactionAction>
        {
            stored is null ? new(TableTransactionActionType.Add, record) : new(TableTransactionActionType.UpdateReplace, record, stored.ServiceETag),
        };
        for (var i = 1; i < chunks.Count; i++)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, ChunkRow(grain, i)) { ["V"] = expected + 1, ["D"] = chunks[i] }));
        }

        for (var i = chunks.Count; i < (stored?.Chunks ?? 0); i++)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(partition, ChunkRow(grain, i)), ETag.All));
        }

        try
        {
            await _tables.RunAsync("write", token => _table.SubmitTransactionAsync(actions, token), cancellationToken);
            return next;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            var now = await ReadStoredAsync(stateName, grainId, cancellationToken);
            return Repeated(now, next, data) ? next : throw Conflict(stateName, grainId, expectedETag, now?.Record.ETag);
        }
    }

    public async Task ClearAsync(string stateName, string grainId, string? expectedETag, CancellationToken cancellationToken)
    {
        var expected = expectedETag is null ? 0 : ParseETag(expectedETag);
        var stored = await ReadStoredAsync(stateName, grainId, cancellationToken);
        if ((stored?.Version ?? 0) != expected)
        {
            throw Conflict(stateName, grainId, expectedETag, stored?.Record.ETag);
        }

        if (stored is null)
        {
            return;
        }

        var (partition, grain) = (Partition(stateName), Grain(grainId));
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, new TableEntity(partition, "g" + grain), stored.ServiceETag) };
        actions.AddRange(Enumerable.Range(1, stored.Chunks - 1).Select(i => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, ChunkRow(grain, i)), ETag.All)));
        try
        {
            await _tables.RunAsync("clear", token => _table.SubmitTransactionAsync(actions, token), cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
        {
            throw Conflict(stateName, grainId, expectedETag, (await ReadStoredAsync(stateName, grainId, cancellationToken))?.Record.ETag);
        }
    }

    private async Task<Stored?> ReadStoredAsync(string stateName, string grainId, CancellationToken cancellationToken)
    {
        var (partition, grain) = (Partition(stateName), Grain(grainId));
        // A record replaced between reading it and its chunks shows chunks of another version: read it again.
        while (true)
        {
            var response = await _tables.RunAsync("read", token => _table.GetEntityIfExistsAsync<TableEntity>(partition, "g" + grain, cancellationToken: token), cancellationToken);
            if (!response.HasValue || response.Value is not { } record)
            {
                return null;
            }

            var version = record.GetInt64("V") ?? 0;
            var count = record.GetInt32("N") ?? 1;
            using var data = new MemoryStream();
            data.Write(record.GetBinary("D") ?? []);
            if (count > 1 && !await ReadChunksAsync(partition, grain, count, version, data, cancellationToken))
            {
                continue;
            }

            return new Stored(new StoredRecord(data.ToArray(), version.ToString(CultureInfo.InvariantCulture)), version, count, record.ETag);
        }
    }

    private async Task<bool> ReadChunksAsync(string partition, string grain, int count, long version, MemoryStream data, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {ChunkRow(grain, 0)} and RowKey lt {ChunkRow(grain, count)}");
        var chunks = await _tables.RunAsync("read-chunks", async token =>
        {
            var list = new List<TableEntity>();
            await foreach (var chunk in _table.QueryAsync<TableEntity>(filter, cancellationToken: token))
            {
                list.Add(chunk);
            }

            return list;
        }, cancellationToken);
        if (chunks.Count != count - 1 || chunks.Any(c => c.GetInt64("V") != version))
        {
            return false;
        }

        foreach (var chunk in chunks)
        {
            data.Write(chunk.GetBinary("D"));
        }

        return true;
    }

    private static List<byte[]> Chunk(ReadOnlyMemory<byte> data)
    {
        var chunks = new List<byte[]> { data[..Math.Min(ChunkSize, data.Length)].ToArray() };
        for (var offset = ChunkSize; offset < data.Length; offset += ChunkSize)
        {
            chunks.Add(data.Slice(offset, Math.Min(ChunkSize, data.Length - offset)).ToArray());
        }

        return chunks;
    }

    /// <summary>Table keys may not hold '/', '\', '#', '?' or control characters; escaping removes them all, reversibly.</summary>
    private static string Partition(string stateName) => "s" + Uri.EscapeDataString(stateName);

    private static string Grain(string grainId) => Uri.EscapeDataString(grainId);

    /// <summary>'|' never occurs in an escaped grain id, so one grain's chunk rows cannot be another's.</summary>
    private static string ChunkRow(string grain, int index) => "c" + grain + "|" + index.ToString("D4", CultureInfo.InvariantCulture);

    private static bool Repeated(Stored? stored, string next, ReadOnlyMemory<byte> data) =>
        stored is not null && stored.Record.ETag == next && stored.Record.Data.AsSpan().SequenceEqual(data.Span);

    private static long ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InconsistentStateException($"ETag '{etag}' was not issued by the Azure Table backend", (string?)null, etag);

    private static InconsistentStateException Conflict(string stateName, string grainId, string? expectedETag, string? storedETag) =>
        new($"Stale write to {stateName} of {grainId}: stored ETag {storedETag ?? "(none)"}, caller had {expectedETag ?? "(none)"}", storedETag, expectedETag);

    private sealed record Stored(StoredRecord Record, long Version, int Chunks, ETag ServiceETag);
}
