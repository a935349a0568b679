namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// Where the session handler reports what happens on the node: the node service turns these into audit events,
/// session trackers and recording uploads. Implementations must not throw for a failed report (they log, retry
/// or spool); a session is never refused because the auth service is unreachable at that moment.
/// </summary>
internal interface INodeSessionObserver
{
    /// <summary>A shell, exec or subsystem started (session.start; tracker created, state running).</summary>
    ValueTask SessionStartedAsync(NodeSessionInfo session, CancellationToken cancellationToken);

    /// <summary>
    /// The session ended (session.end; tracker terminated). <paramref name="recordingPath"/> is the finished local
    /// recording of an interactive session, to be uploaded, or null when nothing was recorded.
    /// </summary>
    ValueTask SessionEndedAsync(NodeSessionInfo session, NodeSessionOutcome outcome, string? recordingPath, CancellationToken cancellationToken);

    /// <summary>An exec request ran (exec event, T3002I; T3002E when it could not start or failed).</summary>
    ValueTask ExecAsync(NodeSessionInfo session, NodeSessionOutcome outcome, CancellationToken cancellationToken);

    /// <summary>A subsystem was requested (subsystem event, T3001I or T3001E with <paramref name="error"/>).</summary>
    ValueTask SubsystemAsync(NodeSessionInfo session, string name, string? error, CancellationToken cancellationToken);

    /// <summary>Someone joined <paramref name="session"/> in <paramref name="mode"/> (session.join, T2001I; tracker updated).</summary>
    ValueTask ParticipantJoinedAsync(NodeSessionInfo session, NodeLogin participant, string mode, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>A joiner left <paramref name="session"/> (session.leave, T2003I; tracker updated).</summary>
    ValueTask ParticipantLeftAsync(NodeSessionInfo session, NodeLogin participant, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    /// <summary>A port forward was attempted (port event, T3003I) to <paramref name="destination"/> (host:port).</summary>
    ValueTask PortForwardAsync(NodeLogin login, string destination, bool allowed, string? error, CancellationToken cancellationToken);
}

/// <summary>How a session ended: exit status, or the signal that ended it, or why it could not start.</summary>
internal sealed record NodeSessionOutcome(int? ExitCode, string? ExitSignal = null, string? Error = null)
{
    public DateTimeOffset Ended { get; init; }
}
