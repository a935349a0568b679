using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.Audit;
using Teleport.Orleans.TestSupport;

namespace Teleport.Orleans.Gateway.Tests.Audit;

public sealed class ProxyAuditLogTests
{
    [Fact]
    public async Task Queued_events_are_written_in_batches_rather_than_one_call_each()
    {
        var grain = new RecordingAuditGrain();
        var log = new ProxyAuditLog(GrainFactoryFor(grain), NullLogger<ProxyAuditLog>.Instance);
        await log.StartAsync(CancellationToken.None);

        for (var i = 0; i < 1000; i++)
        {
            log.Enqueue(AuditEventTypes.AppSessionRequest, new Caller { Name = "alice" }, new JsonObject { ["path"] = $"/{i}" });
        }

        await Eventually.Until(() => grain.Events.Count == 1000, TimeSpan.FromSeconds(10), "every queued event to be written");
        Assert.True(grain.Calls <= 1000 / ProxyAuditLog.MaxBatch + 4, $"{grain.Calls} grain calls for 1000 events");
        await log.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_graceful_stop_writes_what_is_still_buffered()
    {
        var grain = new RecordingAuditGrain();
        var log = new ProxyAuditLog(GrainFactoryFor(grain), NullLogger<ProxyAuditLog>.Instance);
        await log.StartAsync(CancellationToken.None);

        for (var i = 0; i < 700; i++)
        {
            log.Enqueue(AuditEventTypes.AppSessionRequest, new Caller { Name = "alice" }, new JsonObject { ["path"] = $"/{i}" });
        }

        await log.StopAsync(CancellationToken.None);
        log.Enqueue(AuditEventTypes.AppSessionRequest, new Caller { Name = "alice" }, new JsonObject { ["path"] = "/after-stop" });

        await Eventually.Until(() => grain.Events.Count == 701, TimeSpan.FromSeconds(10), "the buffered and the late event to be written");
        Assert.Equal(701, grain.Events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Events_beyond_a_full_buffer_are_counted_as_dropped_without_blocking_the_caller()
    {
        var grain = new RecordingAuditGrain { Stalled = new TaskCompletionSource() };
        var log = new ProxyAuditLog(GrainFactoryFor(grain), NullLogger<ProxyAuditLog>.Instance);
        await log.StartAsync(CancellationToken.None);

        var total = ProxyAuditLog.Capacity + (2 * ProxyAuditLog.MaxBatch);
        for (var i = 0; i < total; i++)
        {
            log.Enqueue(AuditEventTypes.AppSessionRequest, new Caller { Name = "alice" }, new JsonObject());
        }

        Assert.InRange(log.Dropped, ProxyAuditLog.MaxBatch, 2 * ProxyAuditLog.MaxBatch);
        grain.Stalled.SetResult();
        await log.StopAsync(CancellationToken.None);
        Assert.Equal(total - log.Dropped, grain.Events.Count);
    }

    private static IGrainFactory GrainFactoryFor(IAuditLogGrain grain)
    {
        var factory = DispatchProxy.Create<IGrainFactory, GrainFactoryProxy>();
        ((GrainFactoryProxy)(object)factory).Grain = grain;
        return factory;
    }

    /// <summary>An <see cref="IGrainFactory"/> whose every GetGrain returns the one audit grain.</summary>
    public class GrainFactoryProxy : DispatchProxy
    {
        internal IAuditLogGrain Grain { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IGrainFactory.GetGrain) ? Grain : throw new NotSupportedException(targetMethod?.Name);
    }

    private sealed class RecordingAuditGrain : IAuditLogGrain
    {
        private int _calls;

        public ConcurrentQueue<AuditEvent> Events { get; } = new();

        public int Calls => _calls;

        public TaskCompletionSource? Stalled { get; init; }

        public Task Emit(AuditEvent auditEvent) => EmitBatch([auditEvent]);

        public async Task EmitBatch(AuditEvent[] events)
        {
            Interlocked.Increment(ref _calls);
            if (Stalled is { } stalled)
            {
                await stalled.Task;
            }

            foreach (var auditEvent in events)
            {
                Events.Enqueue(auditEvent);
            }
        }

        public Task<AuditEvent[]> Search(AuditQuery query) => Task.FromResult<AuditEvent[]>([]);
    }
}
