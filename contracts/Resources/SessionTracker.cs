namespace Teleport.Orleans.Contracts.Resources;

/// <summary>An active (or recently ended) session, as the node reports it (Teleport's <c>kind: session_tracker</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record SessionTracker
{
    [Id(0)] public required string SessionId { get; init; }
    /// <summary>"ssh".</summary>
    [Id(1)] public string Kind { get; init; } = "ssh";
    /// <summary><see cref="SessionStates.Running"/> or <see cref="SessionStates.Terminated"/>.</summary>
    [Id(2)] public string State { get; init; } = SessionStates.Running;
    [Id(3)] public DateTimeOffset Created { get; init; }
    /// <summary>Set by the auth service: 30 minutes after the last update.</summary>
    [Id(4)] public DateTimeOffset Expires { get; init; }
    [Id(5)] public string Hostname { get; init; } = "";
    [Id(6)] public string NodeId { get; init; } = "";
    [Id(7)] public string Login { get; init; } = "";
    [Id(8)] public string User { get; init; } = "";
    [Id(9)] public string ClusterName { get; init; } = "";
    [Id(10)] public string ClientAddr { get; init; } = "";
    [Id(11)] public string ServerAddr { get; init; } = "";
    [Id(12)] public string TerminalSize { get; init; } = "";
    [Id(13)] public bool Interactive { get; init; }
    [Id(14)] public string Command { get; init; } = "";
    /// <summary>The roles the owner held when the session started (join_sessions policies match these).</summary>
    [Id(15)] public string[] HostRoles { get; init; } = [];
    /// <summary>Who is in the session now, the owner first.</summary>
    [Id(16)] public SessionParticipant[] Participants { get; init; } = [];
}

/// <summary>One user in a session and their participant mode (observer, moderator or peer).</summary>
[GenerateSerializer, Immutable]
public sealed record SessionParticipant
{
    [Id(0)] public required string User { get; init; }
    [Id(1)] public string Mode { get; init; } = "peer";
}

public static class SessionStates
{
    public const string Running = "running";
    public const string Terminated = "terminated";
}
