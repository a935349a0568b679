using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>The algorithms of a client connection's latest key exchange, as named on the wire.</summary>
/// <param name="KeyExchange">The key exchange method, e.g. <c>curve25519-sha256</c>.</param>
/// <param name="HostKey">The host key algorithm, e.g. <c>ssh-ed25519-cert-v01@openssh.com</c>.</param>
/// <param name="CipherToServer">The cipher of the client-to-server direction.</param>
/// <param name="MacToServer">The MAC of the client-to-server direction; null for AEAD ciphers.</param>
/// <param name="CipherFromServer">The cipher of the server-to-client direction.</param>
/// <param name="MacFromServer">The MAC of the server-to-client direction; null for AEAD ciphers.</param>
public sealed record SshNegotiatedAlgorithms(
    string KeyExchange, string HostKey, string CipherToServer, string? MacToServer, string CipherFromServer, string? MacFromServer)
{
    public override string ToString() =>
        $"{KeyExchange}, host key {HostKey}, out {CipherToServer}{Mac(MacToServer)}, in {CipherFromServer}{Mac(MacFromServer)}";

    internal static SshNegotiatedAlgorithms From(NegotiatedAlgorithms negotiated) =>
        // The shared negotiation names directions from the server's side: "in" is client-to-server.
        new(negotiated.KeyExchange.Name, negotiated.HostKey, negotiated.CipherIn.Name, negotiated.MacIn?.Name,
            negotiated.CipherOut.Name, negotiated.MacOut?.Name);

    private static string Mac(string? mac) => mac is null ? "" : "+" + mac;
}
