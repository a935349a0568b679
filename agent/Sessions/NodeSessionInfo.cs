namespace Teleport.Orleans.Agent.Sessions;

/// <summary>One session (an exec, shell or subsystem on a session channel) as audit and the session tracker see it.</summary>
internal sealed record NodeSessionInfo
{
    /// <summary>A new UUID per session; it names the recording too.</summary>
    public required string SessionId { get; init; }

    public required NodeLogin Login { get; init; }

    /// <summary>The node's own address for this connection (host:port).</summary>
    public string ServerAddress { get; init; } = "";

    /// <summary>A shell or command on a PTY.</summary>
    public bool Interactive { get; init; }

    /// <summary>The exec command, or null for a shell.</summary>
    public string? Command { get; init; }

    /// <summary>"cols:rows" when a PTY was requested.</summary>
    public string TerminalSize { get; init; } = "";

    public DateTimeOffset Started { get; init; }

    /// <summary>Who is in the session now (user, participant mode), the owner first; empty: the owner alone.</summary>
    public IReadOnlyList<(string User, string Mode)> Participants { get; init; } = [];

    /// <summary>Everyone who took part, the owner first, for session.end; empty: the owner alone.</summary>
    public IReadOnlyList<string> AllParticipants { get; init; } = [];
}
