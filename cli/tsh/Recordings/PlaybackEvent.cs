namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary>
/// One event of <c>tsh play --format json</c>: milliseconds since the start and either the output
/// (<see cref="Data"/>) or the terminal size "COLS:ROWS" (<see cref="Size"/>); the other one is left out.
/// </summary>
internal sealed record PlaybackEvent(string Event, long Ms, string? Data = null, string? Size = null);
