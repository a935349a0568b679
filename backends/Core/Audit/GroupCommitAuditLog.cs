using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Core.Audit;

/// <summary>
/// Writes audit events in group commits: events that arrive while a write is in flight go into the next one, so
/// under load one durable commit (one fsync) covers many events, and each caller still waits until its event is
/// stored. Nothing is acknowledged before the store has it.
/// </summary>
public sealed partial class GroupCommitAuditLog
{
    private const int MaxBatch = 512;

    private readonly IAuditEventStore _store;
    private readonly ILogger<GroupCommitAuditLog> _logger;
    private readonly Channel<PendingEvent> _queue = Channel.CreateUnbounded<PendingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;

    public GroupCommitAuditLog(IAuditEventStore store, ILogger<GroupCommitAuditLog> logger)
    {
        _store = store;
        _logger = logger;
        _writer = new Lazy<Task>(() => Task.Run(WriteLoop));
    }

    public Task AppendAsync(AuditEvent auditEvent)
    {
        _ = _writer.Value;
        var pending = new PendingEvent(auditEvent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Written.Task : Task.FromException(new ObjectDisposedException(nameof(GroupCommitAuditLog)));
    }

    public Task<IReadOnlyList<AuditEvent>> SearchAsync(AuditQuery query, CancellationToken cancellationToken) =>
        _store.SearchAsync(query, cancellationToken);

    private async Task WriteLoop()
    {
        var batch = new List<PendingEvent>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await _store.AppendAsync([.. batch.Select(p => p.Event)], CancellationToken.None);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception ex)
            {
                // The callers see the failure: the action that caused an unrecordable event fails with it.
                LogWriteFailed(ex, batch.Count);
                batch.ForEach(p => p.Written.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store {Count} audit events")]
    private partial void LogWriteFailed(Exception exception, int count);

    private sealed record PendingEvent(AuditEvent Event, TaskCompletionSource Written);
}
