using System.Collections.Concurrent;

namespace Teleport.Orleans.Agent.SharedSessions;

/// <summary>The interactive sessions running on this node, by session id, for <c>tsh join</c> to find.</summary>
internal sealed class ActiveSessions
{
    private readonly ConcurrentDictionary<string, SharedSession> _sessions = new(StringComparer.Ordinal);

    public void Add(SharedSession session) => _sessions[session.SessionId] = session;

    public void Remove(SharedSession session) => _sessions.TryRemove(new KeyValuePair<string, SharedSession>(session.SessionId, session));

    public SharedSession? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    public int Count => _sessions.Count;
}
