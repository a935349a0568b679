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
}

public sealed record AuditEventType(string Name, string Code);
