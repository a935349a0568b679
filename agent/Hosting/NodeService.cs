using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Relay;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Diagnostics;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Presence;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Agent.Tunnel;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// The node service (ssh_service), first of its hosted services: joins once (a <see cref="JoinException"/> says why
/// it could not), then builds what the node runs with: the auth API client, the access policy, the SSH server and
/// the parts its loops (<see cref="NodeLoop"/>) keep running. <see cref="NodeSshListener"/> starts serving last.
/// </summary>
internal sealed partial class NodeService(NodeServiceOptions options, ILoggerFactory loggers, IMeterFactory? meters = null) : IHostedService
{
    private readonly NodeMetrics _metrics = new(meters);
    private readonly ILogger<NodeService> _logger = loggers.CreateLogger<NodeService>();
    private NodeAuthClient? _auth;

    public NodeServiceOptions Options => options;

    /// <summary>The auth API client; valid once the service has started (as every member below).</summary>
    public NodeAuthClient Auth => _auth ?? throw new InvalidOperationException("The node service has not started.");

    public NodeIdentity Identity => Auth.Identity;

    public string HostId { get; private set; } = "";

    /// <summary>The SSH server; <see cref="SshServer.RunConnectionAsync"/> serves connections that arrive through a tunnel.</summary>
    public SshServer Server { get; private set; } = null!;

    public HeartbeatLoop Heartbeat { get; private set; } = null!;

    public CommandLabelRunner Commands { get; private set; } = null!;

    public AccessPolicyCache Policy { get; private set; } = null!;

    public AccessMonitor Monitor { get; private set; } = null!;

    public AuditSender Audit { get; private set; } = null!;

    public RecordingUploader Uploader { get; private set; } = null!;

    public IdentityRenewer Renewer { get; private set; } = null!;

    /// <summary>The reverse tunnel to the proxy of a node joined through proxy_server; null for a directly dialed node.</summary>
    public ReverseTunnelAgent? Tunnel { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BuildAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new NodeStartException($"ssh_service could not start: {ex.Message}", ex);
        }
    }

    private async Task BuildAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDir);
        HostId = HostUuid.LoadOrCreate(options.DataDir);
        var identity = NodeIdentity.Load(options.DataDir);
        if (identity is null || identity.HostId != HostId)
        {
            identity = await JoinAsync(cancellationToken);
            identity.Save(options.DataDir);
        }
        else
        {
            LogReusedIdentity(_logger, HostId, identity.ClusterName);
        }

        var auth = _auth = new NodeAuthClient(options.AuthServer, identity, loggers.CreateLogger<NodeAuthClient>());
        var dialer = options.TunnelProxy is { } proxy ? new TunnelDialer(proxy) : null;
        if (dialer is not null)
        {
            // No route to the auth API but through the proxy: each gRPC connection is a tunnel "auth" connection.
            auth.Connect = async (_, token) => await dialer.ConnectAsync(TunnelDialer.AuthPreface, token);
        }

        Policy = new AccessPolicyCache(options.DataDir, loggers.CreateLogger<AccessPolicyCache>());
        Commands = new CommandLabelRunner(options.CommandLabels, loggers.CreateLogger<CommandLabelRunner>());
        var announcement = new NodeAnnouncement
        {
            HostId = HostId,
            Hostname = options.NodeName,
            Address = dialer is null ? options.AdvertiseAddress : "",
            Labels = options.Labels,
            Version = options.Version,
            UseTunnel = dialer is not null || options.AdvertiseAddress.Length == 0,
        };
        Heartbeat = new HeartbeatLoop(auth, announcement, Commands, _metrics, loggers.CreateLogger<HeartbeatLoop>());

        var logDir = Path.Combine(options.DataDir, "log");
        var sessionOptions = new NodeSessionOptions
        {
            NodeId = HostId,
            Hostname = options.NodeName,
            ClusterName = identity.ClusterName,
            RecordingDirectory = Path.Combine(logDir, "sessions"),
            RecordSessions = options.RecordSessions,
            SftpServerPath = options.SftpServerPath,
        };
        Directory.CreateDirectory(sessionOptions.RecordingDirectory);
        Audit = new AuditSender(auth, loggers.CreateLogger<AuditSender>());
        Uploader = new RecordingUploader(Path.Combine(logDir, "upload"), auth, loggers.CreateLogger<RecordingUploader>());
        Uploader.AdoptLeftovers(sessionOptions.RecordingDirectory);
        var observer = new NodeSessionObserver(sessionOptions, Audit, Uploader, _metrics);
        Renewer = new IdentityRenewer(options.DataDir, auth, loggers.CreateLogger<IdentityRenewer>(), options.Join?.AdditionalPrincipals);

        // The address sessions report as the server's (SSH_CONNECTION, audit): the advertised one when it parses.
        var advertised = IPEndPoint.TryParse(options.AdvertiseAddress, out var parsed) ? parsed : options.ListenEndpoint;
        var access = new NodeAccessContext(HostId, options.NodeName, Heartbeat.CurrentLabels);
        var authenticator = new NodeAuthenticator(Policy, access, loggers.CreateLogger<NodeAuthenticator>()) { Refused = observer.LoginRefused };
        Monitor = new AccessMonitor(Policy, access, loggers.CreateLogger<AccessMonitor>()) { Disconnected = observer.ClientDisconnected };
        var serverOptions = new SshServerOptions
        {
            Authenticate = authenticator.AuthenticateAsync,
            SessionHandlerFactory = NodeHandlers.Sessions(sessionOptions, observer, loggers, () => advertised, Monitor),
            ForwardingHandlerFactory = NodeHandlers.Forwarding(observer, loggers, Monitor),
            ConnectionStarted = Monitor.Watch,
            LoggerFactory = loggers,
            MaxChannelsPerConnection = 10,
            // Like sshd's MaxStartups ceiling: a burst of logins (many users, scripts) is not cut at ten.
            MaxUnauthenticatedConnections = 100,
            // One address (a flood, or a bastion many users come through) churns its own share, never the rest.
            // Connections a proxy of the cluster vouches for (RelayPreface) leave their share: they all come from
            // the proxy's address, and the proxy already applied its own share to each client's address.
            MaxUnauthenticatedConnectionsPerAddress = 20,
            RelayPreface = RelayCheck(new RelayPrefaceVerifier(HostId, () => auth.Identity.HostCa)),
            ConnectionLimiter = new ConnectionLimiter(options.MaxConnectionsPerAddress, options.MaxUsers, loggers.CreateLogger<ConnectionLimiter>()),
        };
        serverOptions.HostKeys.Add(identity.HostKey());
        serverOptions.HostCertificates.Add(identity.HostCertificate());
        Server = new SshServer(serverOptions);
        if (dialer is not null)
        {
            Tunnel = new ReverseTunnelAgent(dialer, () => auth.Identity, proxy => new TunnelForwardingHandler(Server, proxy, CancellationToken.None), loggers);
        }
    }

    private Func<string, EndPoint?> RelayCheck(RelayPrefaceVerifier verifier) => line =>
    {
        var client = verifier.Verify(line, out var refusal);
        if (client is null)
        {
            LogRelayRefused(_logger, refusal ?? "");
        }

        return client;
    };

    private async Task<NodeIdentity> JoinAsync(CancellationToken cancellationToken)
    {
        if (options.LocalJoin is { } local)
        {
            using var sshKey = Ssh.Keys.SshPrivateKey.Generate(Ssh.Keys.SshKeyType.Ed25519);
            using var tlsKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new Contracts.Api.RegisterUsingTokenRequest
            {
                HostId = HostId,
                NodeName = options.NodeName,
                Role = "Node",
                SshPublicKey = sshKey.PublicKey.ToAuthorizedKeysLine(),
                TlsPublicKey = Google.Protobuf.ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
            };
            var issued = await local(request, cancellationToken);
            return NodeIdentity.FromCertificates(HostId, options.NodeName, sshKey, tlsKey, issued);
        }

        if (options.Join is not { } join || string.IsNullOrEmpty(join.Token))
        {
            throw new JoinException("the node has not joined a cluster yet: set teleport.auth_token to a token from `tctl tokens add --type=node`");
        }

        return await new NodeJoiner(loggers.CreateLogger<NodeJoiner>()).JoinAsync(HostId, options.NodeName, join, cancellationToken);
    }

    /// <summary>Last to stop (after the listener and the loops): closes the auth API client.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_auth is not null)
        {
            await _auth.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection whose relay preface does not come from a proxy of this cluster: {Reason}")]
    private static partial void LogRelayRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the node identity of host {HostId} in cluster {ClusterName}")]
    private static partial void LogReusedIdentity(ILogger logger, string hostId, string clusterName);
}
