namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary>How tsh play shows a recording.</summary>
internal enum PlaybackFormat
{
    /// <summary>Replayed in the terminal with the recorded timing.</summary>
    Pty,

    /// <summary>The events as a JSON array (Teleport's <c>print</c> and <c>resize</c> events with <c>ms</c> offsets).</summary>
    Json,

    /// <summary>The output alone, at once, without timing.</summary>
    Text,
}
