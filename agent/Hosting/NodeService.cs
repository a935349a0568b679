using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Presence;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Agent.Tunnel;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// The node service (ssh_service): joins once, then serves SSH on 3022 with its host certificate, decides logins
/// from the cluster's access policy, heartbeats its node resource, renews its certificates and uploads recordings.
/// </summary>
internal sealed partial class NodeService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly ILogger<NodeService> _logger;
    private SshListener? _listener;

    private NodeService(NodeServiceOptions options, NodeAuthClient auth, SshServer server, HeartbeatLoop heartbeat, ILogger<NodeService> logger)
    {
        Options = options;
        Auth = auth;
        Server = server;
        Heartbeat = heartbeat;
        _logger = logger;
    }

    public NodeServiceOptions Options { get; }

    public NodeAuthClient Auth { get; }

    public NodeIdentity Identity => Auth.Identity;

    /// <summary>The SSH server; <see cref="SshServer.RunConnectionAsync"/> serves connections that arrive through a tunnel.</summary>
    public SshServer Server { get; }

    public HeartbeatLoop Heartbeat { get; }

    /// <summary>The reverse tunnel to the proxy of a node joined through proxy_server; null for a directly dialed node.</summary>
    public ReverseTunnelAgent? Tunnel { get; private set; }

    public IPEndPoint? ListenEndpoint => _listener?.LocalEndPoint;

    /// <summary>Joins if needed (a <see cref="JoinException"/> says why it could not), then starts serving.</summary>
    public static async Task<NodeService> StartAsync(NodeServiceOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<NodeService>();
        Directory.CreateDirectory(options.DataDir);
        var hostId = HostUuid.LoadOrCreate(options.DataDir);
        var identity = NodeIdentity.Load(options.DataDir);
        if (identity is null || identity.HostId != hostId)
        {
            identity = await JoinAsync(options, hostId, loggers, cancellationToken);
            identity.Save(options.DataDir);
        }
        else
        {
            LogReusedIdentity(logger, hostId, identity.ClusterName);
        }

        var auth = new NodeAuthClient(options.AuthServer, identity, loggers.CreateLogger<NodeAuthClient>());
        var dialer = options.TunnelProxy is { } proxy ? new TunnelDialer(proxy) : null;
        if (dialer is not null)
        {
            // No route to the auth API but through the proxy: each gRPC connection is a tunnel "auth" connection.
            auth.Connect = async (_, token) => await dialer.ConnectAsync(TunnelDialer.AuthPreface, token);
        }

        var policy = new AccessPolicyCache(options.DataDir, loggers.CreateLogger<AccessPolicyCache>());
        var commands = new CommandLabelRunner(options.CommandLabels, loggers.CreateLogger<CommandLabelRunner>());
        var announcement = new NodeAnnouncement
        {
            HostId = hostId,
            Hostname = options.NodeName,
            Address = dialer is null ? options.AdvertiseAddress : "",
            Labels = options.Labels,
            Version = options.Version,
            UseTunnel = dialer is not null || options.AdvertiseAddress.Length == 0,
        };
        var heartbeat = new HeartbeatLoop(auth, announcement, commands, loggers.CreateLogger<HeartbeatLoop>());

        var logDir = Path.Combine(options.DataDir, "log");
        var sessionOptions = new NodeSessionOptions
        {
            NodeId = hostId,
            Hostname = options.NodeName,
            ClusterName = identity.ClusterName,
            RecordingDirectory = Path.Combine(logDir, "sessions"),
            RecordSessions = options.RecordSessions,
            SftpServerPath = options.SftpServerPath,
        };
        Directory.CreateDirectory(sessionOptions.RecordingDirectory);
        var audit = new AuditSender(auth, loggers.CreateLogger<AuditSender>());
        var uploader = new RecordingUploader(Path.Combine(logDir, "upload"), auth, loggers.CreateLogger<RecordingUploader>());
        uploader.AdoptLeftovers(sessionOptions.RecordingDirectory);
        var observer = new NodeSessionObserver(sessionOptions, audit, uploader);

        // The address sessions report as the server's (SSH_CONNECTION, audit): the advertised one when it parses.
        var advertised = IPEndPoint.TryParse(options.AdvertiseAddress, out var parsed) ? parsed : options.ListenEndpoint;
        var access = new NodeAccessContext(hostId, options.NodeName, heartbeat.CurrentLabels);
        var authenticator = new NodeAuthenticator(policy, access, loggers.CreateLogger<NodeAuthenticator>()) { Refused = observer.LoginRefused };
        var monitor = new AccessMonitor(policy, access, loggers.CreateLogger<AccessMonitor>()) { Disconnected = observer.ClientDisconnected };
        var serverOptions = new SshServerOptions
        {
            Authenticate = authenticator.AuthenticateAsync,
            SessionHandlerFactory = NodeHandlers.Sessions(sessionOptions, observer, loggers, () => advertised, monitor),
            ForwardingHandlerFactory = NodeHandlers.Forwarding(observer, loggers, monitor),
            ConnectionStarted = monitor.Watch,
            LoggerFactory = loggers,
            MaxChannelsPerConnection = 10,
            // Like sshd's MaxStartups ceiling: a burst of logins (many users, scripts) is not cut at ten.
            MaxUnauthenticatedConnections = 100,
            // One address (a flood, or a bastion many users come through) churns its own share, never the rest.
            MaxUnauthenticatedConnectionsPerAddress = 20,
            ConnectionLimiter = new ConnectionLimiter(options.MaxConnectionsPerAddress, options.MaxUsers, loggers.CreateLogger<ConnectionLimiter>()),
        };
        serverOptions.HostKeys.Add(identity.HostKey());
        serverOptions.HostCertificates.Add(identity.HostCertificate());

        var service = new NodeService(options, auth, new SshServer(serverOptions), heartbeat, logger);
        var stopping = service._stopping.Token;
        service._loops.Add(Task.Run(() => policy.WatchAsync(auth, stopping), CancellationToken.None));
        service._loops.Add(Task.Run(() => monitor.RunAsync(stopping), CancellationToken.None));
        service._loops.Add(Task.Run(() => audit.RunAsync(stopping), CancellationToken.None));
        service._loops.Add(Task.Run(() => uploader.RunAsync(stopping), CancellationToken.None));
        service._loops.Add(Task.Run(() => new IdentityRenewer(options.DataDir, auth, loggers.CreateLogger<IdentityRenewer>(), options.Join?.AdditionalPrincipals).RunAsync(stopping), CancellationToken.None));
        if (dialer is not null)
        {
            service.Tunnel = new ReverseTunnelAgent(dialer, () => auth.Identity, service.Server, loggers);
            service._loops.Add(Task.Run(() => service.Tunnel.RunAsync(stopping), CancellationToken.None));
        }

        service._loops.Add(Task.Run(async () =>
        {
            await commands.RunAllOnceAsync(stopping);
            await Task.WhenAll(commands.RunAsync(stopping), heartbeat.RunAsync(stopping));
        }, CancellationToken.None));

        try
        {
            service._listener = new SshListener(service.Server, options.ListenEndpoint);
            service._listener.Start();
        }
        catch (Exception)
        {
            await service.DisposeAsync();
            throw;
        }

        LogServing(logger, options.NodeName, hostId, service.ListenEndpoint!);
        return service;
    }

    private static async Task<NodeIdentity> JoinAsync(NodeServiceOptions options, string hostId, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (options.LocalJoin is { } local)
        {
            using var sshKey = Ssh.Keys.SshPrivateKey.Generate(Ssh.Keys.SshKeyType.Ed25519);
            using var tlsKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            var request = new Contracts.Api.RegisterUsingTokenRequest
            {
                HostId = hostId,
                NodeName = options.NodeName,
                Role = "Node",
                SshPublicKey = sshKey.PublicKey.ToAuthorizedKeysLine(),
                TlsPublicKey = Google.Protobuf.ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
            };
            var issued = await local(request, cancellationToken);
            return NodeIdentity.FromCertificates(hostId, options.NodeName, sshKey, tlsKey, issued);
        }

        if (options.Join is not { } join || string.IsNullOrEmpty(join.Token))
        {
            throw new JoinException("the node has not joined a cluster yet: set teleport.auth_token to a token from `tctl tokens add --type=node`");
        }

        return await new NodeJoiner(loggers.CreateLogger<NodeJoiner>()).JoinAsync(hostId, options.NodeName, join, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Auth.DisposeAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeName} ({HostId}) is serving SSH on {Endpoint}")]
    private static partial void LogServing(ILogger logger, string nodeName, string hostId, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the node identity of host {HostId} in cluster {ClusterName}")]
    private static partial void LogReusedIdentity(ILogger logger, string hostId, string clusterName);
}
