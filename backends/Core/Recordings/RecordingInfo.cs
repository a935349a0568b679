namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>A stored recording: its session id, size in bytes and when it was stored.</summary>
public sealed record RecordingInfo(string SessionId, long Size, DateTimeOffset Stored);
