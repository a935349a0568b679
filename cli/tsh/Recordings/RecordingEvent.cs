namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary>One asciicast v2 event: seconds since the start, its code ("o" output, "i" input, "r" resize, "m" marker) and data.</summary>
internal sealed record RecordingEvent(double Time, string Code, string Data);
