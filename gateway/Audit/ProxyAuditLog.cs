using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Gateway.Audit;

/// <summary>
/// The proxy's one way to the audit log. <see cref="Write"/> is for events the action waits on (an SSH session's
/// start: the connection closes if it cannot be recorded). <see cref="Enqueue"/> is for the many small events of the
/// hot path (each forwarded app request, each refusal): they go into a bounded buffer that is written in batches, one
/// grain call per batch, when <see cref="MaxBatch"/> events are waiting or <see cref="FlushInterval"/> has passed.
/// A full buffer drops the event and counts it (logged once per flush); a graceful stop writes what is buffered, and
/// an event enqueued after that is written on its own.
/// </summary>
internal sealed partial class ProxyAuditLog(IGrainFactory grains, ILogger<ProxyAuditLog> logger) : BackgroundService
{
    public const int Capacity = 20_000;
    public const int MaxBatch = 256;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly Channel<AuditEvent> _buffer = Channel.CreateBounded<AuditEvent>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _dropped;
    private long _droppedLogged;
    private volatile bool _stopped;

    /// <summary>Events dropped because the buffer was full, since the process started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Writes an event and completes once it is stored; a failed write fails the caller.</summary>
    public Task Write(AuditEventType type, Caller caller, JsonObject fields) =>
        grains.GetGrain<IAuditLogGrain>(0).Emit(AuditEventFactory.Create(type, caller, DateTimeOffset.UtcNow, fields));

    /// <summary>Buffers an event for the next batch; never waits.</summary>
    public void Enqueue(AuditEventType type, Caller caller, JsonObject fields)
    {
        var auditEvent = AuditEventFactory.Create(type, caller, DateTimeOffset.UtcNow, fields);
        if (_stopped)
        {
            _ = WriteLate(auditEvent);
            return;
        }

        if (!_buffer.Writer.TryWrite(auditEvent))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _stopped = true;
        // What was buffered when the proxy stopped is written now (the loop may have been between batches).
        var batch = new List<AuditEvent>(MaxBatch);
        while (!cancellationToken.IsCancellationRequested && Fill(batch))
        {
            await Flush(batch);
        }

        var left = 0;
        while (_buffer.Reader.TryRead(out _))
        {
            left++;
        }

        if (left > 0)
        {
            LogLostAtStop(logger, left);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>(MaxBatch);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                // The first event opens a batch; it is written when full or when the interval ends.
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(FlushInterval);
                try
                {
                    while (Fill(batch) && batch.Count < MaxBatch && await _buffer.Reader.WaitToReadAsync(window.Token))
                    {
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval ended: write what there is.
                }

                await Flush(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // StopAsync writes what is left.
        }

        if (batch.Count > 0)
        {
            await Flush(batch);
        }
    }

    /// <summary>Moves buffered events into <paramref name="batch"/> up to <see cref="MaxBatch"/>; whether the batch has any.</summary>
    private bool Fill(List<AuditEvent> batch)
    {
        while (batch.Count < MaxBatch && _buffer.Reader.TryRead(out var auditEvent))
        {
            batch.Add(auditEvent);
        }

        return batch.Count > 0;
    }

    private async Task Flush(List<AuditEvent> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var total = Dropped;
        var dropped = total - Interlocked.Exchange(ref _droppedLogged, total);
        if (dropped > 0)
        {
            LogDropped(logger, dropped, Capacity);
        }

        AuditEvent[] events = [.. batch];
        batch.Clear();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Each event keeps its id, so a batch retried after a lost reply is stored once.
                await grains.GetGrain<IAuditLogGrain>(0).EmitBatch(events);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogBatchLost(logger, events.Length, ex.Message);
                return;
            }
        }
    }

    private async Task WriteLate(AuditEvent auditEvent)
    {
        try
        {
            await grains.GetGrain<IAuditLogGrain>(0).Emit(auditEvent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBatchLost(logger, 1, ex.Message);
        }
    }
}
