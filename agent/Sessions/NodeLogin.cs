namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// What the node's authentication decided for one SSH connection: who the user is, which host login they are
/// allowed, and what their roles permit on this node. <c>SshConnectionContext.AuthenticationState</c> carries it
/// from the authentication callback to the session and forwarding handlers.
/// </summary>
internal sealed record NodeLogin
{
    /// <summary>The Teleport user (the certificate's key id).</summary>
    public required string User { get; init; }

    /// <summary>The host login (OS user) the session runs as.</summary>
    public required string Login { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public IReadOnlyDictionary<string, string[]> Traits { get; init; } = new Dictionary<string, string[]>();

    /// <summary>Local port forwarding (direct-tcpip) is allowed by the roles and the certificate.</summary>
    public bool PortForwardingAllowed { get; init; }

    /// <summary>Remote port forwarding (tcpip-forward, ssh -R) is allowed by the roles and the certificate.</summary>
    public bool RemotePortForwardingAllowed { get; init; }

    /// <summary>Agent forwarding (ssh -A) is allowed: a role sets <c>forward_agent</c> and the certificate permits it.</summary>
    public bool AgentForwardingAllowed { get; init; }

    /// <summary>The certificate's permit-pty extension.</summary>
    public bool PtyAllowed { get; init; } = true;

    /// <summary>The certificate's valid-before.</summary>
    public DateTimeOffset CertificateValidBefore { get; init; }

    /// <summary>A role sets <c>disconnect_expired_cert</c>: sessions end at <see cref="CertificateValidBefore"/>.</summary>
    public bool DisconnectExpiredCert { get; init; }

    /// <summary>The roles' <c>client_idle_timeout</c>: sessions end after this long without client input; zero: never.</summary>
    public TimeSpan ClientIdleTimeout { get; init; }

    /// <summary>
    /// Set for Teleport's join login (<see cref="Access.Sessions.SessionJoin.Principal"/>): the connection may only join a running
    /// session, with these roles deciding how (join_sessions); no shell, command or forwarding of its own.
    /// </summary>
    public Teleport.Orleans.Access.Rbac.RoleSet? JoinRoles { get; init; }

    /// <summary>The client's address as the node saw it (host:port).</summary>
    public string ClientAddress { get; init; } = "";
}
