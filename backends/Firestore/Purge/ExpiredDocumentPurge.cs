using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Firestore.Client;

namespace Teleport.Orleans.Backends.Firestore.Purge;

/// <summary>
/// Deletes the collection's expired documents (<c>expires</c> set and past) every poll interval, as Teleport's
/// backend does (<c>purge_expired_documents_poll_interval</c>, off with <c>disable_expired_document_purge</c>). Each
/// delete is conditional on the update time read, so a document rewritten meanwhile is left alone. Every silo runs it;
/// two purges deleting the same document is harmless.
/// </summary>
public sealed partial class ExpiredDocumentPurge : IDisposable
{
    private const int PageSize = FirestoreDatabase.MaxWritesPerCommit;

    private readonly FirestoreDatabase _database;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _retryPeriod;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ExpiredDocumentPurge(FirestoreDatabase database, TimeSpan interval, TimeSpan retryPeriod, ILogger logger)
    {
        _database = database;
        _interval = interval;
        _retryPeriod = retryPeriod;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(LoopAsync);

    /// <summary>Deletes what has expired by <paramref name="now"/>; returns how many documents were deleted.</summary>
    public async Task<int> PurgeOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var expired = await _database.RunAsync("purge-query", (client, token) => client.RunQueryAsync(new JsonObject
            {
                ["from"] = new JsonArray(new JsonObject { ["collectionId"] = _database.Collection }),
                ["where"] = FirestoreValues.And(
                    FirestoreValues.FieldFilter("expires", "GREATER_THAN", FirestoreValues.Integer(0)),
                    FirestoreValues.FieldFilter("expires", "LESS_THAN_OR_EQUAL", FirestoreValues.Integer(now.ToUnixTimeSeconds()))),
                ["limit"] = PageSize,
            }, token), cancellationToken);
            if (expired.Count == 0)
            {
                return deleted;
            }

            deleted += await DeleteAsync(expired, cancellationToken);
            if (expired.Count < PageSize)
            {
                return deleted;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task<int> DeleteAsync(IReadOnlyList<FirestoreDocument> documents, CancellationToken cancellationToken)
    {
        try
        {
            await _database.RunAsync("purge-delete", (client, token) => client.CommitAsync(
                [.. documents.Select(d => FirestoreValues.Delete(d.Name, FirestoreValues.UpdatedAt(d.UpdateTime)))], token), cancellationToken);
            return documents.Count;
        }
        catch (FirestoreException ex) when (ex.IsPreconditionFailure)
        {
            // One of them changed since the query: delete the others one by one.
            var deleted = 0;
            foreach (var document in documents)
            {
                try
                {
                    await _database.RunAsync("purge-delete", (client, token) => client.CommitAsync([FirestoreValues.Delete(document.Name, FirestoreValues.UpdatedAt(document.UpdateTime))], token), cancellationToken);
                    deleted++;
                }
                catch (FirestoreException one) when (one.IsPreconditionFailure)
                {
                }
            }

            return deleted;
        }
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            var pause = _interval;
            try
            {
                var deleted = await PurgeOnceAsync(DateTimeOffset.UtcNow, token);
                if (deleted > 0)
                {
                    LogPurged(deleted, _database.Collection);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex, _database.Collection, _retryPeriod.TotalSeconds);
                pause = _retryPeriod;
            }

            try
            {
                await Task.Delay(pause, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired documents from Firestore collection {Collection}")]
    private partial void LogPurged(int count, string collection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired documents from Firestore collection {Collection} failed; trying again in {Seconds} s")]
    private partial void LogFailed(Exception exception, string collection, double seconds);
}
