using System.Net;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Tunnel;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Benchmarks.AgentLoad;

/// <summary>
/// One node agent: joins with a token of its own (made with the admin identity, as tctl tokens add does), so it holds
/// its own host certificate from the host CA; keeps its reverse tunnel with the real agent's ReverseTunnelAgent from
/// its own loopback source address; heartbeats as a tunnel node; and serves exec over the tunnel with
/// <see cref="ExitZero"/>.
/// </summary>
internal sealed class SimulatedAgent(int index, LoadOptions options, AuthService.AuthServiceClient admin, NodeJoiner joiner)
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    public string HostId { get; } = Guid.NewGuid().ToString();

    public string Hostname => $"load-{index:D5}";

    public ReverseTunnelAgent? Tunnel { get; private set; }

    /// <summary>Real agents come from many hosts: each simulated one dials from its own address in 127.0.0.0/8.</summary>
    internal static IPAddress SourceAddress(int index) =>
        new([127, (byte)(10 + (index >> 16)), (byte)(index >> 8), (byte)index]);

    public async Task RunAsync(CancellationToken stopping)
    {
        var identity = await JoinAsync(stopping);
        var node = new SshServer(NodeOptions(identity));
        var (host, port) = TunnelAddress.Split(options.TunnelAddress, 3024);
        var dialer = new TunnelDialer(options.ProxyServer, new TunnelAddress(host, port, TlsRouting: false), SourceAddress(index));
        Tunnel = new ReverseTunnelAgent(dialer, () => identity, proxy => new TunnelForwardingHandler(node, proxy, CancellationToken.None), NullLoggerFactory.Instance);
        Task heartbeats;
        if (options.Heartbeat == "node")
        {
            var auth = new NodeAuthClient(options.AuthServer, identity, NullLogger<NodeAuthClient>.Instance)
            {
                Connect = async (_, cancellationToken) => await dialer.ConnectAsync(TunnelDialer.AuthPreface, cancellationToken),
            };
            heartbeats = HeartbeatAsync(auth.Client, stopping);
        }
        else
        {
            heartbeats = HeartbeatAsync(admin, stopping);
        }

        await Task.WhenAll(Tunnel.RunAsync(stopping), heartbeats);
    }

    /// <summary>A token of its own and the join with it; an overloaded auth service is asked again after a backoff, as a real agent does.</summary>
    private async Task<NodeIdentity> JoinAsync(CancellationToken stopping)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                // A fresh token each attempt: a join whose answer was lost has used its token.
                var token = (await admin.CreateJoinTokenAsync(new CreateJoinTokenRequest { Roles = { "node" }, TtlSeconds = 3600 }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: stopping)).Token.Name;
                return await joiner.JoinAsync(HostId, Hostname, new JoinParameters { Token = token, AuthServer = options.AuthServer }, stopping);
            }
            catch (Exception ex) when (ex is RpcException or JoinException && attempt < 20 && !stopping.IsCancellationRequested)
            {
                JoinRetries++;
                await Task.Delay(Backoff.Delay(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15)), stopping);
            }
        }
    }

    /// <summary>Token or join calls asked again after a transient failure.</summary>
    public int JoinRetries { get; private set; }

    private async Task HeartbeatAsync(AuthService.AuthServiceClient client, CancellationToken stopping)
    {
        var failures = 0;
        var beat = new NodeHeartbeat { Node = new Node { Name = HostId, Hostname = Hostname, UseTunnel = true, Version = "0.1.0" } };
        beat.Node.Labels["load"] = "agent";
        beat.Node.Labels["group"] = $"g{index % 50}";
        while (!stopping.IsCancellationRequested)
        {
            TimeSpan next;
            try
            {
                var response = await client.HeartbeatAsync(beat, deadline: DateTime.UtcNow.AddSeconds(20), cancellationToken: stopping);
                failures = 0;
                next = Backoff.Jitter(response.NextHeartbeatSeconds > 0 ? TimeSpan.FromSeconds(response.NextHeartbeatSeconds) : DefaultInterval);
            }
            catch (RpcException) when (!stopping.IsCancellationRequested)
            {
                next = Backoff.Delay(failures++, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(next, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static SshServerOptions NodeOptions(NodeIdentity identity)
    {
        var options = new SshServerOptions
        {
            LoggerFactory = NullLoggerFactory.Instance,
            // The proxy checked the user's certificate and roles before opening the channel; this node runs nothing.
            Authenticate = (request, _) => ValueTask.FromResult(SshAuthenticationResult.Accept(request.UserName)),
            SessionHandlerFactory = _ => new ExitZero(),
        };
        options.HostKeys.Add(identity.HostKey());
        options.HostCertificates.Add(identity.HostCertificate());
        return options;
    }
}
