using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Draining;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Accepts reverse tunnels from agents on proxy_service.tunnel_listen_addr (and, through <see cref="HandleAsync"/>,
/// from the multiplexed web port). On a "node" tunnel the gateway is the SSH client: it sends its Proxy host
/// certificate, logs in with the certified key, and accepts the agent only with a host certificate from the cluster's host CA for role
/// Node or App (an app service, whose tunnel carries channels to its own apps); the host id comes from that certificate, so an agent cannot claim another node's tunnel.
/// </summary>
internal sealed partial class TunnelServer(
    ProxyIdentityProvider identities, GatewayOptions options, TunnelRegistry registry, ConnectionLimiter limiter, ProxyDrain drain,
    TunnelAdmission admission, ILoggerFactory loggerFactory) : BackgroundService
{
    /// <summary>
    /// A keep-alive on a tunnel idle for 2 s, four missed: a dead tunnel is dropped within about 10 s. The agent counts
    /// on them too: silence for three intervals tells it the proxy is hung, and it dials again (agent SilenceWatch).
    /// </summary>
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(2);

    // As often as the keep-alives on a tunnel: the agent's silence limit is three of them.
    private static readonly TimeSpan QueuedInterval = KeepAliveInterval;

    private readonly ILogger _logger = loggerFactory.CreateLogger<TunnelServer>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.TunnelListenEndpoint is not { } endpoint)
        {
            return;
        }

        using var listener = new TcpListener(endpoint);
        listener.Start();
        // Draining: agents dialing in are refused, so they reach another proxy; tunnels already here stay until exit.
        using var draining = drain.StopAccepting.Register(listener.Stop);
        var name = $"tunnels {listener.LocalEndpoint}";
        LogListening(_logger, name);
        // Agents authenticate in a round trip or two once admitted; what waits longer is not an agent. The budget
        // holds the agents waiting in the admission line besides: evicting those would only make them dial again.
        var budget = new UnauthenticatedConnectionBudget(
            new UnauthenticatedConnectionBudgetOptions { Capacity = 256 + admission.Capacity + admission.MaxQueued, PerAddress = 32, Deadline = TimeSpan.FromMinutes(1), Name = name },
            loggerFactory.CreateLogger<UnauthenticatedConnectionBudget>());
        await TcpAcceptLoop.RunAsync(listener, new TcpAcceptLoop.Limits(name, limiter, budget), async (socket, waiting, token) =>
        {
            var remote = socket.RemoteEndPoint;
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            await HandleAsync(stream, remote, token, waiting);
        }, stoppingToken);
    }

    /// <summary>
    /// Serves one agent connection until it ends; never throws. <paramref name="waiting"/>, the connection's place in
    /// its listener's budget, is left once the agent is known: its node tunnel logged in, or its auth splice began
    /// (the auth service authenticates what runs inside).
    /// </summary>
    public async Task HandleAsync(Stream stream, EndPoint? remote, CancellationToken cancellationToken, UnauthenticatedConnection? waiting = null)
    {
        var from = remote?.ToString() ?? "";
        try
        {
            string preface;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                preface = await TunnelPreface.ReadAsync(stream, timeout.Token);
            }

            var identity = await identities.GetAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            switch (preface)
            {
                case TunnelPreface.Node or TunnelPreface.NodeQueued when drain.StopAccepting.IsCancellationRequested:
                    // Draining: the web port still accepts, but a tunnel belongs on a proxy that is staying.
                    LogRefused(_logger, from, "this proxy is shutting down; the agent will dial another");
                    break;
                case TunnelPreface.Node or TunnelPreface.NodeQueued:
                    await ServeNodeTunnel(stream, identity, from, waiting, preface == TunnelPreface.NodeQueued, cancellationToken);
                    break;
                case TunnelPreface.Auth:
                    waiting?.Authenticated();
                    await AuthSplice.RunAsync(stream, options.AuthServer, cancellationToken);
                    break;
                default:
                    LogRefused(_logger, from, $"unknown preface \"{preface}\"");
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefused(_logger, from, ex.Message);
        }
    }

    private async Task ServeNodeTunnel(
        Stream stream, ProxyIdentity identity, string from, UnauthenticatedConnection? waiting, bool informed, CancellationToken cancellationToken)
    {
        using var ticket = informed
            ? await InformedLine.EnterAsync(admission, stream, QueuedInterval, cancellationToken)
            : await admission.EnterAsync(cancellationToken);
        if (ticket is null)
        {
            // A reconnect storm the line cannot hold: refused before any cryptography; the agent backs off.
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(TunnelPreface.Busy + "\n"), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            LogBusy(_logger, from, admission.Capacity, admission.Queued);
            return;
        }

        var validator = new SshCertificateValidator([identity.HostCa], TimeSpan.FromMinutes(1));
        string? hostId = null;
        var appService = false;
        var clientOptions = new SshClientOptions
        {
            UserName = "teleport-proxy",
            HostName = from.Length > 0 ? from : "tunnel-agent",
            PrivateKey = identity.HostKey,
            KeepAliveInterval = KeepAliveInterval,
            KeepAliveCountMax = 4,
            LoggerFactory = loggerFactory,
            HostKeyVerifier = (key, _) =>
            {
                var (id, refusal) = CheckAgent(key.Certificate, validator);
                hostId = id;
                appService = key.Certificate?.Extensions.TryGetValue("x-teleport-role", out var role) == true && role == "App";
                return ValueTask.FromResult(refusal is null ? SshHostKeyVerification.Trust() : SshHostKeyVerification.Refuse(refusal));
            },
        };
        // The SSH client authenticates with a key only (no user certificate), so the agent gets the proxy's host
        // certificate first and checks that the key that signs the login is the certified one.
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(identity.HostCertificate.ToAuthorizedKeysLine() + "\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var tunnel = await SshClient.ConnectAsync(stream, clientOptions, cancellationToken);
        waiting?.Authenticated();
        // The place bounds the handshake's CPU. Recording the tunnel waits on the auth service and its backend; held
        // through it, the places let agents back at about 120 a second after a restart (10,000 in 84 s), released
        // here at 250-340 a second (61-65 s).
        ticket.Dispose();
        var node = hostId!;
        await registry.Add(node, tunnel, appService);
        try
        {
            await tunnel.Closed.WaitAsync(cancellationToken);
        }
        finally
        {
            await registry.Remove(node, tunnel);
            await tunnel.DisposeAsync();
        }
    }

    /// <summary>The agent's host id from its certificate, or why it is refused.</summary>
    internal static (string? HostId, string? Refusal) CheckAgent(SshCertificate? certificate, SshCertificateValidator validator)
    {
        if (certificate is null)
        {
            return (null, "the agent presented no host certificate");
        }

        if (!certificate.Extensions.TryGetValue("x-teleport-role", out var role) || role is not ("Node" or "App"))
        {
            return (null, $"the agent's certificate is for role \"{role}\", not Node or App");
        }

        // Key id is "<host id>.<cluster>"; the host id must also be a principal the CA signed.
        var dot = certificate.KeyId.IndexOf('.', StringComparison.Ordinal);
        var hostId = dot > 0 ? certificate.KeyId[..dot] : certificate.KeyId;
        var result = validator.ValidateHost(certificate, hostId);
        return result.IsValid ? (hostId, null) : (null, result.ToString() ?? "invalid host certificate");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reverse tunnel listener on {Endpoint}")]
    private static partial void LogListening(ILogger logger, string endpoint);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tunnel connection from {Remote} refused: {Capacity} handshakes in flight and {Queued} agents waiting; the agent will dial again")]
    private static partial void LogBusy(ILogger logger, string remote, int capacity, int queued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tunnel connection from {Remote} ended: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remote, string reason);
}
