using System.Net;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>
/// A listener whose server checks relay prefaces (a proxy's line vouching for the client it relays): the vouched
/// connections of one relay address do not evict each other beyond the per-address share and are served as from the
/// client; the relay address's other connections keep the share; a preface the check refuses ends the connection.
/// </summary>
public sealed class ListenerRelayPrefaceTests
{
    private static readonly SshPrivateKey UserKey = TestKeys.Get(SshKeyType.Ed25519);

    [Fact]
    public async Task More_vouched_connections_than_the_per_address_share_all_stay_and_authenticate_as_their_clients()
    {
        await using var server = Start();
        server.AuthorizedKeys.Add(UserKey.PublicKey);
        var relayed = new List<RawSshClient>();
        try
        {
            for (var i = 1; i <= 5; i++)
            {
                var client = await RawSshClient.ConnectAsync(server.Port);
                relayed.Add(client);
                await client.SendLineAsync($"RELAY 192.0.2.{i}:4000");
                await client.HandshakeAsync();
            }

            var answers = new List<byte>();
            foreach (var client in relayed)
            {
                answers.Add((await client.AuthenticateAsync(UserKey, "alice"))[0]);
            }

            Assert.Equal(Enumerable.Repeat(SshMessage.UserAuthSuccess, 5), answers);
            Assert.Equal(
                Enumerable.Range(1, 5).Select(i => $"192.0.2.{i}:4000"),
                server.AuthenticationRequests.Select(r => r.RemoteEndPoint?.ToString()).Distinct());
        }
        finally
        {
            foreach (var client in relayed)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Connections_from_the_relay_s_address_that_no_preface_vouches_for_keep_the_share()
    {
        await using var server = Start();
        await using var vouched = await RawSshClient.ConnectAsync(server.Port);
        await vouched.SendLineAsync("RELAY 192.0.2.1:4000");
        await vouched.HandshakeAsync();
        await using var first = await RawSshClient.ConnectAsync(server.Port);
        await first.ReadServerVersionAsync();
        await using var second = await RawSshClient.ConnectAsync(server.Port);
        await second.ReadServerVersionAsync();

        await using var third = await RawSshClient.ConnectAsync(server.Port);
        await third.ReadServerVersionAsync();

        await Assert.ThrowsAnyAsync<IOException>(first.ReceiveAsync);
        await server.Logs.WaitForAsync(e => e.Message.Contains("Closing unauthenticated connection from") && e.Message.Contains("2 waiting"));
        Assert.Equal(3, server.Listener.UnauthenticatedConnections);
        await vouched.RequestUserAuthServiceAsync();
    }

    [Fact]
    public async Task A_preface_the_server_does_not_accept_ends_the_connection_and_the_log_says_why()
    {
        await using var server = Start();
        await using var client = await RawSshClient.ConnectAsync(server.Port);
        await client.SendLineAsync("RELAY forged");
        await client.SendLineAsync(RawSshClient.Version);
        await client.ReadServerVersionAsync();

        // Before the version exchange has finished there is no packet layer for a DISCONNECT: the server just closes.
        Assert.Null(await client.ReadDisconnectAsync());
        await server.Logs.WaitForAsync(e => e.Message.Contains("The relay's preface was not accepted."));
        Assert.Empty(server.AuthenticationRequests);
    }

    private static TestSshServer Start() => TestSshServer.Start(options =>
    {
        options.MaxUnauthenticatedConnectionsPerAddress = 2;
        options.RelayPreface = line => line.StartsWith("RELAY ", StringComparison.Ordinal) && IPEndPoint.TryParse(line[6..], out var client) && client.Port != 0
            ? client
            : null;
    });
}
