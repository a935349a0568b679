namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>A different recording is already stored under the session id.</summary>
public sealed class RecordingConflictException(string sessionId)
    : IOException($"a different recording is already stored for session {sessionId}")
{
    public string SessionId { get; } = sessionId;
}
