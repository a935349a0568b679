using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// Sends audit events and session tracker updates to the auth service in the background, in order, retrying while
/// it is unreachable. Sessions never wait for it. The queue is bounded: when the auth service is gone for long, the
/// oldest pending reports are dropped (and counted in the log) rather than the node's memory.
/// </summary>
internal sealed partial class AuditSender
{
    private const int Capacity = 10_000;

    private readonly NodeAuthClient _auth;
    private readonly ILogger<AuditSender> _logger;
    private readonly Channel<Func<AuthService.AuthServiceClient, Grpc.Core.CallOptions, Task>> _queue;
    private int _pending;

    public AuditSender(NodeAuthClient auth, ILogger<AuditSender> logger)
    {
        _auth = auth;
        _logger = logger;
        _queue = Channel.CreateBounded<Func<AuthService.AuthServiceClient, Grpc.Core.CallOptions, Task>>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ =>
            {
                Interlocked.Decrement(ref _pending);
                LogDropped();
            });
    }

    /// <summary>Reports not yet accepted by the auth service.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Emit(AuditEventType type, JsonObject fields)
    {
        fields["event"] = type.Name;
        fields["code"] = type.Code;
        fields["time"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("O");
        fields["uid"] = Guid.NewGuid().ToString();
        var json = fields.ToJsonString();
        Enqueue(async (client, options) => await client.EmitAuditEventAsync(new EmitAuditEventRequest { EventJson = json }, options));
    }

    public void UpsertTracker(SessionTracker tracker) =>
        Enqueue(async (client, options) => await client.UpsertSessionTrackerAsync(tracker, options));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var send in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await _auth.CallAsync("sending an audit report", async (client, options) =>
                    {
                        await send(client, options);
                        return true;
                    }, cancellationToken);
                }
                catch (Grpc.Core.RpcException ex)
                {
                    // Refused (not transient): retrying cannot help.
                    LogRefused(NodeAuthClient.Describe(ex));
                }

                Interlocked.Decrement(ref _pending);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Enqueue(Func<AuthService.AuthServiceClient, Grpc.Core.CallOptions, Task> send)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(send))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The auth service refused an audit report: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The oldest pending audit report was dropped: the auth service has been unreachable for too long")]
    private partial void LogDropped();
}
