using System.Collections.Concurrent;
using Teleport.Orleans.Agent.Sessions;

namespace Teleport.Orleans.Agent.Tests.Support;

/// <summary>Keeps every report the session and forwarding handlers make, in order, as one line each.</summary>
internal sealed class TestObserver : INodeSessionObserver
{
    public ConcurrentQueue<NodeSessionInfo> Started { get; } = new();

    public ConcurrentQueue<(NodeSessionInfo Session, NodeSessionOutcome Outcome, string? RecordingPath)> Ended { get; } = new();

    public ConcurrentQueue<(NodeSessionInfo Session, NodeSessionOutcome Outcome)> Execs { get; } = new();

    public ConcurrentQueue<(string Name, string? Error)> Subsystems { get; } = new();

    public ConcurrentQueue<(string Destination, bool Allowed, string? Error)> PortForwards { get; } = new();

    public ValueTask SessionStartedAsync(NodeSessionInfo session, CancellationToken cancellationToken)
    {
        Started.Enqueue(session);
        return ValueTask.CompletedTask;
    }

    public ValueTask SessionEndedAsync(NodeSessionInfo session, NodeSessionOutcome outcome, string? recordingPath, CancellationToken cancellationToken)
    {
        Ended.Enqueue((session, outcome, recordingPath));
        return ValueTask.CompletedTask;
    }

    public ValueTask ExecAsync(NodeSessionInfo session, NodeSessionOutcome outcome, CancellationToken cancellationToken)
    {
        Execs.Enqueue((session, outcome));
        return ValueTask.CompletedTask;
    }

    public ValueTask SubsystemAsync(NodeSessionInfo session, string name, string? error, CancellationToken cancellationToken)
    {
        Subsystems.Enqueue((name, error));
        return ValueTask.CompletedTask;
    }

    public ValueTask PortForwardAsync(NodeLogin login, string destination, bool allowed, string? error, CancellationToken cancellationToken)
    {
        PortForwards.Enqueue((destination, allowed, error));
        return ValueTask.CompletedTask;
    }
}
