using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Integration.Tests.Tunnels;

/// <summary>
/// Two gateways (proxy-only processes on one PostgreSQL-backed cluster) and a node that keeps its one reverse tunnel
/// to the first: a user who reaches the second gateway is forwarded to the first over the peer listener (mutual TLS
/// with Proxy certificates), so an agent needs one tunnel however many gateways run.
/// </summary>
public sealed partial class PeerForwardingTests(PeerForwardingTests.TwoGateways cluster) : IClassFixture<PeerForwardingTests.TwoGateways>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tunnel_node_is_reached_through_the_gateway_that_does_not_hold_its_tunnel()
    {
        var result = await cluster.SshThroughSecondGateway("echo forwarded-between-gateways; exit 5");

        Assert.True(result.ExitCode == 5, result.Stderr + cluster.Logs());
        Assert.Equal("forwarded-between-gateways\n", result.Stdout);
        Assert.Contains("Peer listener on 127.0.0.1:", cluster.First.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_audits_the_users_address_not_the_gateways()
    {
        (await cluster.SshThroughSecondGateway("true")).EnsureSuccess();

        var client = cluster.Auth.AdminClient(out var channel);
        using var _ = channel;
        JsonObject? proxyEvent = null, nodeEvent = null;
        await Eventually.Until(async () =>
        {
            var events = (await client.SearchEventsAsync(new SearchEventsRequest
            {
                From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)),
                EventTypes = { "session.start" },
                Limit = 1000,
            })).Events.Select(e => JsonNode.Parse(e)!.AsObject()).Where(e => (string?)e["server_hostname"] == TwoGateways.NodeName).ToArray();
            // The gateway's event names the channel it relayed; the node's names its own local address.
            proxyEvent = events.LastOrDefault(e => e.ContainsKey("proxy_channel"));
            nodeEvent = events.LastOrDefault(e => e.ContainsKey("addr.local"));
            return proxyEvent is not null && nodeEvent is not null;
        }, Patience, "session.start from both the gateway and the node");

        var clientAddress = (string?)proxyEvent!["addr.remote"];
        Assert.StartsWith("127.0.0.1:", clientAddress, StringComparison.Ordinal);
        Assert.Equal(clientAddress, (string?)nodeEvent!["addr.remote"]);
    }

    [Fact]
    public async Task Peer_listener_refuses_a_client_without_a_proxy_certificate()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", cluster.First.Ports.PeerPort);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream());

        // No client certificate: the handshake must fail and nothing is forwarded.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await tls.WriteAsync("DIAL x 127.0.0.1:1\n"u8.ToArray());
            var buffer = new byte[64];
            if (await tls.ReadAsync(buffer) == 0)
            {
                throw new IOException("closed");
            }
        });
        await Eventually.Until(() => cluster.First.Output.Contains("Peer connection from", StringComparison.Ordinal), Patience, "the refusal to be logged");
    }

    public sealed class TwoGateways : IAsyncLifetime
    {
        public const string NodeName = "peered-node";

        private readonly PostgresServer _postgres = new();

        internal TeleportServer Auth { get; private set; } = null!;

        internal ProxyOnlyProcess First { get; private set; } = null!;

        internal ProxyOnlyProcess Second { get; private set; } = null!;

        internal TeleportProcess Node { get; private set; } = null!;

        internal OpenSshJump Jump { get; private set; } = null!;

        internal string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("peering-").FullName;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            var storage = await ProxyPoolTests.PostgresStorage(_postgres);
            Auth = await TeleportServer.StartAsync(storage);
            (await Auth.Tctl("tokens", "add", "--type=proxy", "--value=peer-proxy-one")).EnsureSuccess();
            (await Auth.Tctl("tokens", "add", "--type=proxy", "--value=peer-proxy-two")).EnsureSuccess();
            First = ProxyOnlyProcess.Start(Auth.AuthPort, "peer-proxy-one", "proxy-one");
            Second = ProxyOnlyProcess.Start(Auth.AuthPort, "peer-proxy-two", "proxy-two");
            await Task.WhenAll(First.WaitReady(), Second.WaitReady());

            var login = Environment.UserName;
            (await Auth.Tctl("users", "add", "peer-jumper", "--roles=access", $"--logins={login}")).EnsureSuccess();
            var key = await ProxyClient.SignUser(Auth, "peer-jumper", Directory);
            Jump = new OpenSshJump(Directory, key, login, $"@cert-authority * {(await ProxyClient.HostCa(Auth)).ToAuthorizedKeysLine()}\n");

            var token = "tok" + Guid.NewGuid().ToString("N");
            (await Auth.Tctl("tokens", "add", "--type=node", "--ttl=1h", $"--value={token}")).EnsureSuccess();
            var config = await TunnelCluster.WriteNodeConfig(Directory, NodeName, token, First.Ports.WebPort);
            Node = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], NodeCluster.NodeReady);
            await Eventually.Until(() => First.Output.Contains("is up", StringComparison.Ordinal), Patience, "the first gateway to hold the node's tunnel");
        }

        /// <summary>
        /// ssh -J through the second gateway, once the tunnel is recorded for the cluster: until the node's record
        /// names the first gateway, the second refuses with "no reverse tunnel", which is the condition waited on.
        /// </summary>
        internal async Task<CommandResult> SshThroughSecondGateway(string command)
        {
            CommandResult? result = null;
            await Eventually.Until(async () =>
            {
                result = await Jump.Run(Second.Ports.SshPort, NodeName, 3022, command);
                return !result.Stderr.Contains("forwarding failed", StringComparison.OrdinalIgnoreCase);
            }, Patience, "ssh through the second gateway to reach the node");
            return result!;
        }

        internal string Logs() =>
            $"\n--- node ---\n{Node?.Output}\n--- first gateway ---\n{First?.Output}\n--- second gateway ---\n{Second?.Output}";

        public async Task DisposeAsync()
        {
            if (Node is not null)
            {
                await Node.DisposeAsync();
            }

            foreach (var proxy in new[] { Second, First })
            {
                if (proxy is not null)
                {
                    await proxy.DisposeAsync();
                }
            }

            if (Auth is not null)
            {
                await Auth.DisposeAsync();
            }

            await _postgres.DisposeAsync();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
