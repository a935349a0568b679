namespace Teleport.Orleans.Access.Audit;

/// <summary>Teleport's audit event names and codes (lib/events/api.go and codes.go).</summary>
public static class AuditEventTypes
{
    public static readonly AuditEventType UserLogin = new("user.login", "T1000I");
    public static readonly AuditEventType UserLoginFailure = new("user.login", "T1000W");
    public static readonly AuditEventType UserCreate = new("user.create", "T1002I");
    public static readonly AuditEventType UserUpdate = new("user.update", "T1003I");
    public static readonly AuditEventType UserDelete = new("user.delete", "T1004I");
    public static readonly AuditEventType UserPasswordChange = new("user.password_change", "T1005I");
    public static readonly AuditEventType MfaDeviceAdd = new("mfa.add", "T1006I");
    public static readonly AuditEventType ResetPasswordTokenCreate = new("reset_password_token.create", "T6000I");
    public static readonly AuditEventType RoleCreated = new("role.created", "T9000I");
    public static readonly AuditEventType RoleDeleted = new("role.deleted", "T9001I");
    public static readonly AuditEventType RoleUpdated = new("role.updated", "T9002I");
    public static readonly AuditEventType JoinTokenCreate = new("join_token.create", "TJT00I");
    public static readonly AuditEventType JoinTokenDelete = new("join_token.delete", "TJT01I");
    public static readonly AuditEventType InstanceJoin = new("instance.join", "TJ002I");
    public static readonly AuditEventType InstanceJoinFailure = new("instance.join", "TJ002E");
    public static readonly AuditEventType CertificateCreate = new("cert.create", "TC000I");
    public static readonly AuditEventType AuthPreferenceUpdate = new("cluster_auth_preference.update", "TCAUTH001I");
    public static readonly AuditEventType UserUnlock = new("user.unlock", "TLK01I");
    public static readonly AuditEventType LockCreated = new("lock.created", "TLK00I");
    public static readonly AuditEventType LockDeleted = new("lock.deleted", "TLK01I");
    public static readonly AuditEventType SessionUpload = new("session.upload", "T2005I");

    // Session events: the proxy and the node emit these as sessions start, run and end.
    public static readonly AuditEventType SessionStart = new("session.start", "T2000I");
    public static readonly AuditEventType SessionJoin = new("session.join", "T2001I");
    public static readonly AuditEventType SessionLeave = new("session.leave", "T2003I");
    public static readonly AuditEventType SessionEnd = new("session.end", "T2004I");
    public static readonly AuditEventType SessionRejected = new("session.rejected", "T1006W");
    public static readonly AuditEventType Exec = new("exec", "T3002I");
    public static readonly AuditEventType ExecFailure = new("exec", "T3002E");
    public static readonly AuditEventType Subsystem = new("subsystem", "T3001I");
    public static readonly AuditEventType SubsystemFailure = new("subsystem", "T3001E");
    public static readonly AuditEventType Port = new("port", "T3003I");
    public static readonly AuditEventType PortFailure = new("port", "T3003E");
    public static readonly AuditEventType AuthFailure = new("auth", "T3007W");
    public static readonly AuditEventType ClientDisconnect = new("client.disconnect", "T3006I");

    // App access: the app session grain emits start and end, the proxy each request and each refusal.
    public static readonly AuditEventType AppSessionStart = new("app.session.start", "T2007I");
    public static readonly AuditEventType AppSessionRequest = new("app.session.request", "T2009I");
    public static readonly AuditEventType AppSessionEnd = new("app.session.end", "T2011I");

    /// <summary>A request or session refused by app access (unknown app, no or bad credentials, RBAC, a lock); Teleport's code for a failed app session start.</summary>
    public static readonly AuditEventType AppSessionRejected = new("app.session.start", "T2007W");

    /// <summary>
    /// Teleport's session-scoped event names (lib/events/api.go): the only ones a node may send, so a node cannot
    /// forge logins or admin actions. Some (data, resize, x11-forward, scp, sftp) no node here emits yet.
    /// </summary>
    public static IReadOnlySet<string> SessionEventNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SessionStart.Name, SessionJoin.Name, SessionLeave.Name, SessionEnd.Name, "session.data", "resize", SessionRejected.Name,
        Exec.Name, Subsystem.Name, Port.Name, "x11-forward", "scp", "sftp", AuthFailure.Name, ClientDisconnect.Name,
    };
}

public sealed record AuditEventType(string Name, string Code);
