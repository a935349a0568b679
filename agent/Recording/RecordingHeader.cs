namespace Teleport.Orleans.Agent.Recording;

/// <summary>What the first line of a recording says about the session (asciicast v2 header plus a "teleport" object).</summary>
internal sealed record RecordingHeader
{
    public required string SessionId { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required DateTimeOffset Started { get; init; }

    public string Terminal { get; init; } = "";

    public string Shell { get; init; } = "";

    public string Title { get; init; } = "";

    public string User { get; init; } = "";

    public string Login { get; init; } = "";

    public string NodeId { get; init; } = "";

    public string Hostname { get; init; } = "";

    public string ClusterName { get; init; } = "";

    /// <summary>The exec command, or null for a shell.</summary>
    public string? Command { get; init; }
}
