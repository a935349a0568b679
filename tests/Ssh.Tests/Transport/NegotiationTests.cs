using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Tests.Transport;

/// <summary>Algorithm negotiation edge cases (the common path is covered by the OpenSSH interop tests).</summary>
public sealed class NegotiationTests
{
    private static readonly KexInitMessage Server = new()
    {
        KeyExchange = ["curve25519-sha256", KexInitMessage.ExtInfoServer, KexInitMessage.StrictKexServer],
        HostKey = ["ssh-ed25519"],
        CiphersClientToServer = ["aes256-gcm@openssh.com"],
        CiphersServerToClient = ["aes256-gcm@openssh.com"],
        MacsClientToServer = ["hmac-sha2-256-etm@openssh.com"],
        MacsServerToClient = ["hmac-sha2-256-etm@openssh.com"],
        CompressionClientToServer = ["none"],
        CompressionServerToClient = ["none"],
    };

    [Theory]
    [InlineData(KexInitMessage.StrictKexServer)]
    [InlineData(KexInitMessage.ExtInfoServer)]
    public void A_server_pseudo_algorithm_named_by_the_client_is_never_chosen(string pseudo)
    {
        var client = new KexInitMessage
        {
            KeyExchange = [pseudo, "diffie-hellman-group14-sha256"],
            HostKey = Server.HostKey,
            CiphersClientToServer = Server.CiphersClientToServer,
            CiphersServerToClient = Server.CiphersServerToClient,
            MacsClientToServer = Server.MacsClientToServer,
            MacsServerToClient = Server.MacsServerToClient,
            CompressionClientToServer = Server.CompressionClientToServer,
            CompressionServerToClient = Server.CompressionServerToClient,
        };

        var error = Assert.Throws<SshProtocolException>(() => NegotiatedAlgorithms.Negotiate(client, Server));
        Assert.Equal(SshDisconnectReason.KeyExchangeFailed, error.Reason);

        var chosen = NegotiatedAlgorithms.Negotiate(new KexInitMessage
        {
            KeyExchange = [pseudo, "curve25519-sha256"],
            HostKey = client.HostKey,
            CiphersClientToServer = client.CiphersClientToServer,
            CiphersServerToClient = client.CiphersServerToClient,
            MacsClientToServer = client.MacsClientToServer,
            MacsServerToClient = client.MacsServerToClient,
            CompressionClientToServer = client.CompressionClientToServer,
            CompressionServerToClient = client.CompressionServerToClient,
        }, Server);
        Assert.Equal("curve25519-sha256", chosen.KeyExchange.Name);
    }
}
