using System.Text;
using Teleport.Orleans.Agent.Sessions;

namespace Teleport.Orleans.Agent.SharedSessions;

/// <summary>
/// An interactive session on this node that others may join (<c>tsh join</c>): its owner, who is in it, what it
/// showed lately (<see cref="ScreenReplay"/>), and the ways in for peers' input and a moderator's termination. The
/// owner's output pump calls <see cref="Output"/>; everyone in the session sees a line when someone joins or leaves
/// (Teleport's "Teleport &gt; ..." notices), and so does the recording.
/// </summary>
internal sealed class SharedSession
{
    private readonly Lock _lock = new();
    private readonly ScreenReplay _replay = new();
    private readonly List<SessionParty> _parties = [];
    private readonly List<string> _joiners = [];
    private readonly TaskCompletionSource<int?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The owner's session as audit sees it (its login is the owner's).</summary>
    public required NodeSessionInfo Info { get; init; }

    public string SessionId => Info.SessionId;

    /// <summary>The Teleport user who started the session.</summary>
    public string Owner => Info.Login.User;

    /// <summary>The roles the owner held when the session started: join_sessions policies match these.</summary>
    public IReadOnlyList<string> OwnerRoles => Info.Login.Roles;

    /// <summary>Writes a peer's keystrokes to the terminal.</summary>
    public required Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> WriteInput { get; init; }

    /// <summary>Ends the session's program (a moderator's "t").</summary>
    public required Action Terminate { get; init; }

    /// <summary>Where notices go besides the participants: the owner's terminal and the recording.</summary>
    public required Action<byte[]> Notify { get; init; }

    /// <summary>Completes with the program's exit code (null: a signal ended it) when the session ends.</summary>
    public Task<int?> Ended => _ended.Task;

    /// <summary>Everyone in the session now: the owner first, then the joiners in the order they came.</summary>
    public IReadOnlyList<(string User, string Mode)> Participants
    {
        get
        {
            lock (_lock)
            {
                return [(Owner, "peer"), .. _parties.Select(p => (p.User, p.Mode))];
            }
        }
    }

    /// <summary>Every user who took part, the owner first; for session.end.</summary>
    public IReadOnlyList<string> AllParticipants
    {
        get
        {
            lock (_lock)
            {
                return [Owner, .. _joiners.Where(u => u != Owner)];
            }
        }
    }

    /// <summary>The session with who is in it now, for audit and the tracker.</summary>
    public NodeSessionInfo Describe() => Info with { Participants = Participants, AllParticipants = AllParticipants };

    /// <summary>Terminal output, as the owner saw it: kept for replay and queued to every joiner.</summary>
    public void Output(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            _replay.Append(data);
            if (_parties.Count == 0)
            {
                return;
            }

            var copy = data.ToArray();
            foreach (var party in _parties.ToArray())
            {
                if (!party.TryQueue(copy))
                {
                    // Too far behind: dropping them keeps everyone else's session moving.
                    _parties.Remove(party);
                    party.Complete();
                }
            }
        }
    }

    /// <summary>Adds a joiner: they first get what redraws the current screen, then live output; everyone sees the notice.</summary>
    public SessionParty Join(string user, string mode, string clientAddress)
    {
        var party = new SessionParty(user, mode, clientAddress);
        lock (_lock)
        {
            party.TryQueue(_replay.Snapshot());
            _parties.Add(party);
            if (!_joiners.Contains(user, StringComparer.Ordinal))
            {
                _joiners.Add(user);
            }
        }

        Broadcast($"User {user} joined the session with participant mode: {mode}.");
        return party;
    }

    /// <summary>Removes a joiner who left (or was dropped) and tells the others.</summary>
    public void Leave(SessionParty party)
    {
        lock (_lock)
        {
            _parties.Remove(party);
        }

        party.Complete();
        if (!Ended.IsCompleted)
        {
            Broadcast($"User {party.User} left the session.");
        }
    }

    /// <summary>A line to everyone in the session (and the recording), on a line of its own.</summary>
    public void Broadcast(string message)
    {
        var bytes = Encoding.UTF8.GetBytes($"\r\nTeleport > {message}\r\n");
        lock (_lock)
        {
            foreach (var party in _parties)
            {
                party.TryQueue(bytes);
            }
        }

        Notify(bytes);
    }

    /// <summary>The program ended: joiners get the rest of the output and then the end.</summary>
    public void End(int? exitCode)
    {
        lock (_lock)
        {
            foreach (var party in _parties)
            {
                party.Complete();
            }

            _parties.Clear();
        }

        _ended.TrySetResult(exitCode);
    }
}
