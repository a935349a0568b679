namespace Teleport.Orleans.Access.Sessions;

/// <summary>How a client asks to join a running session, in Teleport's words (the proxy and the node read these; tsh sends them).</summary>
public static class SessionJoin
{
    /// <summary>The login <c>tsh join</c> connects as (Teleport's <c>SSHSessionJoinPrincipal</c>).</summary>
    public const string Principal = "-teleport-internal-join";

    /// <summary>The "env" variable naming the session to join (Teleport's <c>sshutils.SessionEnvVar</c>).</summary>
    public const string SessionVariable = "TELEPORT_SESSION";

    /// <summary>The "env" variable with the participant mode (Teleport's <c>EnvSSHJoinMode</c>).</summary>
    public const string ModeVariable = "TELEPORT_SSH_JOIN_MODE";

    /// <summary>The channel request a moderator sends to end the session (Teleport's <c>ForceTerminateRequest</c>).</summary>
    public const string ForceTerminateRequest = "x-teleport-force-terminate";
}
