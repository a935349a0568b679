using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Diagnostics;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// Turns what sessions do into audit events (session.start/end, exec, subsystem, port), session trackers and queued
/// recording uploads. Everything is handed to background senders: a session never waits for the auth service.
/// </summary>
internal sealed class NodeSessionObserver(NodeSessionOptions node, AuditSender audit, RecordingUploader uploads, NodeMetrics metrics) : INodeSessionObserver
{
    /// <summary>How long a tracker stays listed if the node dies before marking it terminated.</summary>
    private static readonly TimeSpan TrackerTtl = TimeSpan.FromHours(1);

    public ValueTask SessionStartedAsync(NodeSessionInfo session, CancellationToken cancellationToken)
    {
        metrics.SessionStarted(session.Interactive);
        var fields = SessionFields(session);
        fields["session_recording"] = session.Interactive && node.RecordSessions ? "node" : "off";
        audit.Emit(AuditEventTypes.SessionStart, fields);
        audit.UpsertTracker(Tracker(session, "running"));
        return ValueTask.CompletedTask;
    }

    public ValueTask SessionEndedAsync(NodeSessionInfo session, NodeSessionOutcome outcome, string? recordingPath, CancellationToken cancellationToken)
    {
        metrics.SessionEnded(session.Interactive);
        var ended = outcome.Ended == default ? DateTimeOffset.UtcNow : outcome.Ended;
        var fields = SessionFields(session);
        IReadOnlyList<string> participants = session.AllParticipants.Count > 0 ? session.AllParticipants : [session.Login.User];
        fields["participants"] = new JsonArray([.. participants.Select(p => (JsonNode?)JsonValue.Create(p))]);
        fields["session_start"] = session.Started.UtcDateTime.ToString("O");
        fields["session_stop"] = ended.UtcDateTime.ToString("O");
        fields["enhanced_recording"] = false;
        fields["session_recording"] = recordingPath is null ? "off" : "node";
        if (outcome.ExitCode is { } code)
        {
            fields["exit_code"] = code;
        }

        if (outcome.ExitSignal is { } signal)
        {
            fields["exit_signal"] = signal;
        }

        audit.Emit(AuditEventTypes.SessionEnd, fields);
        audit.UpsertTracker(Tracker(session, "terminated"));
        if (recordingPath is not null && File.Exists(recordingPath))
        {
            uploads.Enqueue(session.SessionId, recordingPath);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ExecAsync(NodeSessionInfo session, NodeSessionOutcome outcome, CancellationToken cancellationToken)
    {
        var failed = outcome.Error is not null || outcome.ExitCode is not (null or 0) || outcome.ExitSignal is not null;
        var fields = SessionFields(session);
        fields["command"] = session.Command ?? "";
        fields["exitCode"] = (outcome.ExitCode ?? -1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (outcome.Error is not null || outcome.ExitSignal is not null)
        {
            fields["exitError"] = outcome.Error ?? $"signal {outcome.ExitSignal}";
        }

        audit.Emit(failed ? AuditEventTypes.ExecFailure : AuditEventTypes.Exec, fields);
        return ValueTask.CompletedTask;
    }

    public ValueTask SubsystemAsync(NodeSessionInfo session, string name, string? error, CancellationToken cancellationToken)
    {
        var fields = SessionFields(session);
        fields["name"] = name;
        fields["exitError"] = error ?? "";
        audit.Emit(error is null ? AuditEventTypes.Subsystem : AuditEventTypes.SubsystemFailure, fields);
        return ValueTask.CompletedTask;
    }

    public ValueTask ParticipantJoinedAsync(NodeSessionInfo session, NodeLogin participant, string mode, CancellationToken cancellationToken)
    {
        audit.Emit(AuditEventTypes.SessionJoin, ParticipantFields(session, participant));
        audit.UpsertTracker(Tracker(session, "running"));
        return ValueTask.CompletedTask;
    }

    public ValueTask ParticipantLeftAsync(NodeSessionInfo session, NodeLogin participant, CancellationToken cancellationToken)
    {
        audit.Emit(AuditEventTypes.SessionLeave, ParticipantFields(session, participant));
        audit.UpsertTracker(Tracker(session, "running"));
        return ValueTask.CompletedTask;
    }

    public ValueTask PortForwardAsync(NodeLogin login, string destination, bool allowed, string? error, CancellationToken cancellationToken)
    {
        var fields = LoginFields(login);
        fields["addr"] = destination;
        fields["success"] = allowed && error is null;
        if (error is not null)
        {
            fields["error"] = error;
        }

        audit.Emit(allowed && error is null ? AuditEventTypes.Port : AuditEventTypes.PortFailure, fields);
        return ValueTask.CompletedTask;
    }

    /// <summary>A login the node refused (auth event, T3007W), with the reason the node logged.</summary>
    public void LoginRefused(LoginRefusal refusal)
    {
        audit.Emit(AuditEventTypes.AuthFailure, new JsonObject
        {
            ["user"] = refusal.User,
            ["login"] = refusal.Login,
            ["success"] = false,
            ["error"] = refusal.Reason,
            ["server_id"] = node.NodeId,
            ["server_hostname"] = node.Hostname,
            ["addr.remote"] = refusal.ClientAddress,
            ["cluster_name"] = node.ClusterName,
        });
    }

    /// <summary>A connection the access monitor ended (client.disconnect, T3006I), with Teleport's reason.</summary>
    public void ClientDisconnected(NodeLogin login, string reason)
    {
        var fields = LoginFields(login);
        fields["reason"] = reason;
        audit.Emit(AuditEventTypes.ClientDisconnect, fields);
    }

    private JsonObject LoginFields(NodeLogin login) => new()
    {
        ["user"] = login.User,
        ["login"] = login.Login,
        ["server_id"] = node.NodeId,
        ["server_hostname"] = node.Hostname,
        ["addr.remote"] = login.ClientAddress,
        ["cluster_name"] = node.ClusterName,
        ["namespace"] = "default",
    };

    private JsonObject SessionFields(NodeSessionInfo session)
    {
        var fields = LoginFields(session.Login);
        fields["sid"] = session.SessionId;
        fields["addr.local"] = session.ServerAddress;
        fields["server_addr"] = session.ServerAddress;
        fields["interactive"] = session.Interactive;
        if (session.TerminalSize.Length > 0)
        {
            fields["size"] = session.TerminalSize;
        }

        if (session.Command is not null)
        {
            fields["initial_command"] = new JsonArray(JsonValue.Create(session.Command));
        }

        return fields;
    }

    /// <summary>session.join and session.leave as Teleport writes them: the participant's user and address, the session's login and node.</summary>
    private JsonObject ParticipantFields(NodeSessionInfo session, NodeLogin participant)
    {
        var fields = LoginFields(participant);
        fields["login"] = session.Login.Login;
        fields["sid"] = session.SessionId;
        fields["server_addr"] = session.ServerAddress;
        fields["addr.local"] = session.ServerAddress;
        return fields;
    }

    private SessionTracker Tracker(NodeSessionInfo session, string state) => new()
    {
        SessionId = session.SessionId,
        Kind = "ssh",
        State = state,
        Created = Timestamp.FromDateTimeOffset(session.Started == default ? DateTimeOffset.UtcNow : session.Started),
        Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow + TrackerTtl),
        Hostname = node.Hostname,
        NodeId = node.NodeId,
        Login = session.Login.Login,
        User = session.Login.User,
        ClusterName = node.ClusterName,
        ClientAddr = session.Login.ClientAddress,
        ServerAddr = session.ServerAddress,
        TerminalSize = session.TerminalSize,
        Interactive = session.Interactive,
        Command = session.Command ?? "",
        HostRoles = { session.Login.Roles },
        Participants =
        {
            session.Participants.Count > 0
                ? session.Participants.Select(p => new SessionParticipant { User = p.User, Mode = p.Mode })
                : [new SessionParticipant { User = session.Login.User, Mode = "peer" }],
        },
    };
}
