using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Server;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// SSH_MSG_KEXINIT as the client sends it: <see cref="KexInitMessage.Decode"/>, a re-encode round-trip, then
/// negotiation against the server's default KEXINIT. Only <see cref="SshProtocolException"/> is expected.
/// </summary>
internal sealed class KexInitTarget : IFuzzTarget
{
    private static readonly KexInitMessage Server = new()
    {
        KeyExchange = [.. SshServerOptions.SupportedKeyExchangeAlgorithms, KexInitMessage.ExtInfoServer, KexInitMessage.StrictKexServer],
        HostKey = ["ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"],
        CiphersClientToServer = [.. SshServerOptions.SupportedCiphers],
        CiphersServerToClient = [.. SshServerOptions.SupportedCiphers],
        MacsClientToServer = [.. SshServerOptions.SupportedMacAlgorithms],
        MacsServerToClient = [.. SshServerOptions.SupportedMacAlgorithms],
        CompressionClientToServer = ["none"],
        CompressionServerToClient = ["none"],
    };

    public string Name => "kexinit";

    public void Run(ReadOnlySpan<byte> data)
    {
        KexInitMessage client;
        try
        {
            client = KexInitMessage.Decode(data);
        }
        catch (SshProtocolException)
        {
            return;
        }

        var again = KexInitMessage.Decode(client.Encode());
        FuzzInvariantException.Check(SameLists(client, again), "KEXINIT does not survive Encode/Decode");

        try
        {
            var negotiated = NegotiatedAlgorithms.Negotiate(client, Server);
            negotiated.GuessedRight(client);
            _ = negotiated.ToString();
        }
        catch (SshProtocolException)
        {
        }
    }

    private static bool SameLists(KexInitMessage a, KexInitMessage b) =>
        a.KeyExchange.SequenceEqual(b.KeyExchange) &&
        a.HostKey.SequenceEqual(b.HostKey) &&
        a.CiphersClientToServer.SequenceEqual(b.CiphersClientToServer) &&
        a.CiphersServerToClient.SequenceEqual(b.CiphersServerToClient) &&
        a.MacsClientToServer.SequenceEqual(b.MacsClientToServer) &&
        a.MacsServerToClient.SequenceEqual(b.MacsServerToClient) &&
        a.CompressionClientToServer.SequenceEqual(b.CompressionClientToServer) &&
        a.CompressionServerToClient.SequenceEqual(b.CompressionServerToClient) &&
        a.FirstKexPacketFollows == b.FirstKexPacketFollows;
}
