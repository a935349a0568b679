using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Server;

/// <summary>Configuration of an <see cref="SshServer"/>; read once when the server is constructed.</summary>
public sealed class SshServerOptions
{
    /// <summary>Key exchange methods this library implements, in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedKeyExchangeAlgorithms { get; } = [.. KeyExchangeAlgorithm.All.Select(k => k.Name)];

    /// <summary>Ciphers this library implements, in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedCiphers { get; } = [.. CipherAlgorithm.All.Select(c => c.Name)];

    /// <summary>MACs this library implements (used with the CTR ciphers only), in the default order of preference.</summary>
    public static IReadOnlyList<string> SupportedMacAlgorithms { get; } = [.. MacAlgorithm.All.Select(m => m.Name)];

    /// <summary>Host keys; Ed25519, ECDSA and RSA (offered as rsa-sha2-512/256). At least one is required.</summary>
    public IList<SshPrivateKey> HostKeys { get; } = [];

    /// <summary>Host certificates (type host), each for one of <see cref="HostKeys"/>; offered before the plain keys.</summary>
    public IList<SshCertificate> HostCertificates { get; } = [];

    public IList<string> KeyExchangeAlgorithms { get; } = [.. SupportedKeyExchangeAlgorithms];

    public IList<string> Ciphers { get; } = [.. SupportedCiphers];

    public IList<string> MacAlgorithms { get; } = [.. SupportedMacAlgorithms];

    /// <summary>Decides public key logins. Required.</summary>
    public SshAuthenticationHandler? Authenticate { get; set; }

    /// <summary>Creates the handler for each session channel. Required.</summary>
    public Func<SshSessionContext, ISshSessionHandler>? SessionHandlerFactory { get; set; }

    /// <summary>
    /// Creates the handler that decides port forwarding (direct-tcpip, tcpip-forward) for a connection, when the
    /// client first asks for it. Null (the default) refuses all forwarding.
    /// </summary>
    public Func<SshConnectionContext, ISshForwardingHandler>? ForwardingHandlerFactory { get; set; }

    /// <summary>
    /// Called once per connection after authentication, before any channel: a host that watches whole connections
    /// (and may end them with <see cref="SshConnectionContext.DisconnectAsync"/>) starts here; <see cref="SshConnectionContext.Closed"/> says when it ended.
    /// </summary>
    public Action<SshConnectionContext>? ConnectionStarted { get; set; }

    /// <summary>Time from connect to successful authentication (sshd's LoginGraceTime).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed authentication attempts before the connection is closed (sshd's MaxAuthTries).</summary>
    public int MaxAuthenticationAttempts { get; set; } = 6;

    /// <summary>
    /// Connections an <see cref="SshListener"/> lets wait for authentication at once (sshd's MaxStartups); a newcomer
    /// beyond it evicts the idlest waiting one (<see cref="UnauthenticatedConnectionBudget"/>).
    /// </summary>
    public int MaxUnauthenticatedConnections { get; set; } = 10;

    /// <summary>Of <see cref="MaxUnauthenticatedConnections"/>, how many one client IP may hold; beyond it the newcomer evicts one of its own.</summary>
    public int MaxUnauthenticatedConnectionsPerAddress { get; set; } = 10;

    /// <summary>
    /// Checks a line a relay sent before the client's identification (a Teleport proxy's signed statement of the
    /// client it relays): returns the client's address, or null to refuse the connection. A connection vouched for
    /// leaves its address's share of the unauthenticated budget (<see cref="UnauthenticatedConnection.RelayVouched"/>)
    /// and is served as from the client's address. Null (the default): a client must start with its identification,
    /// as RFC 4253 requires.
    /// </summary>
    public Func<string, EndPoint?>? RelayPreface { get; set; }

    /// <summary>
    /// teleport.connection_limits (connections per client IP, concurrent users), shared with the service's other
    /// listeners; null for none. Refused clients get a DISCONNECT that says which limit.
    /// </summary>
    public ConnectionLimiter? ConnectionLimiter { get; set; }

    /// <summary>Open session channels per connection (sshd's MaxSessions).</summary>
    public int MaxChannelsPerConnection { get; set; } = 10;

    /// <summary>Open forwarding channels (direct-tcpip and forwarded-tcpip) per connection.</summary>
    public int MaxForwardingChannelsPerConnection { get; set; } = 64;

    /// <summary>Bytes in either direction after which the server re-exchanges keys.</summary>
    public long RekeyBytes { get; set; } = 1L << 30;

    /// <summary>Time after which the server re-exchanges keys (checked when packets flow).</summary>
    public TimeSpan RekeyInterval { get; set; } = TimeSpan.FromHours(1);

    public ILoggerFactory? LoggerFactory { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
