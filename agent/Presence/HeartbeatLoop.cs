using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Diagnostics;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Presence;

/// <summary>
/// Announces the node: upserts its node resource (Heartbeat) at the interval the auth service asks for, with jitter,
/// so it is listed while alive and expires when it stops. Failures are retried and never stop the node.
/// </summary>
internal sealed partial class HeartbeatLoop(NodeAuthClient auth, NodeAnnouncement announcement, CommandLabelRunner commands, NodeMetrics metrics, ILogger<HeartbeatLoop> logger)
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(15);

    /// <summary>Completes at the first successful heartbeat (the node is listed).</summary>
    public Task FirstAnnounced => _first.Task;

    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Static labels merged with the latest command label results, as roles see them.</summary>
    public IReadOnlyDictionary<string, string> CurrentLabels()
    {
        var labels = new Dictionary<string, string>(announcement.Labels, StringComparer.Ordinal);
        foreach (var label in commands.Labels)
        {
            labels[label.Name] = commands.Result(label.Name);
        }

        return labels;
    }

    public Node BuildNode()
    {
        var node = new Node
        {
            Name = announcement.HostId,
            Hostname = announcement.Hostname,
            Addr = announcement.Address,
            Version = announcement.Version,
            UseTunnel = announcement.UseTunnel,
        };
        foreach (var (key, value) in announcement.Labels)
        {
            node.Labels[key] = value;
        }

        foreach (var label in commands.Labels)
        {
            var command = new Contracts.Api.CommandLabel { PeriodSeconds = (long)label.Period.TotalSeconds, Result = commands.Result(label.Name) };
            command.Command.AddRange(label.Command);
            node.CmdLabels[label.Name] = command;
        }

        return node;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                var response = await auth.Client.HeartbeatAsync(new NodeHeartbeat { Node = BuildNode() }, deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: cancellationToken);
                if (failures > 0 || !_first.Task.IsCompleted)
                {
                    LogAnnounced(announcement.HostId, response.Expires?.ToDateTimeOffset() ?? default);
                }

                metrics.HeartbeatSent();
                failures = 0;
                _first.TrySetResult();
                next = Backoff.Jitter(response.NextHeartbeatSeconds > 0 ? TimeSpan.FromSeconds(response.NextHeartbeatSeconds) : DefaultInterval);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (NodeAuthClient.IsTransient(ex) || ex is Grpc.Core.RpcException))
            {
                metrics.HeartbeatFailed();
                next = Backoff.Delay(failures++, FirstRetry, MaxRetry);
                LogFailed(NodeAuthClient.Describe(ex), next.TotalSeconds);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(next, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {HostId} announced to the cluster (listed until {Expires:O})")]
    private partial void LogAnnounced(string hostId, DateTimeOffset expires);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Reason}); retrying in {Seconds:F1}s")]
    private partial void LogFailed(string reason, double seconds);
}
