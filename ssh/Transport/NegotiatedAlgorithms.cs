namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The outcome of algorithm negotiation (RFC 4253 §7.1): the client's first choice the server also supports.</summary>
internal sealed record NegotiatedAlgorithms(
    KeyExchangeAlgorithm KeyExchange,
    string HostKey,
    CipherAlgorithm CipherIn,
    MacAlgorithm? MacIn,
    CipherAlgorithm CipherOut,
    MacAlgorithm? MacOut)
{
    public static NegotiatedAlgorithms Negotiate(KexInitMessage client, KexInitMessage server)
    {
        // Our kex list also carries the pseudo-algorithms ext-info-s and kex-strict-s-v00@openssh.com; a client that
        // names one must not get it chosen (found by fuzzing: it ended in a NullReferenceException).
        string[] serverKex = [.. server.KeyExchange.Where(name => KeyExchangeAlgorithm.Find(name) is not null)];
        var kex = KeyExchangeAlgorithm.Find(Choose(client.KeyExchange, serverKex, "key exchange algorithm"))!;
        var hostKey = Choose(client.HostKey, server.HostKey, "host key algorithm");
        var cipherIn = CipherAlgorithm.Find(Choose(client.CiphersClientToServer, server.CiphersClientToServer, "cipher"))!;
        var cipherOut = CipherAlgorithm.Find(Choose(client.CiphersServerToClient, server.CiphersServerToClient, "cipher"))!;
        var macIn = cipherIn.IsAead ? null : MacAlgorithm.Find(Choose(client.MacsClientToServer, server.MacsClientToServer, "MAC"));
        var macOut = cipherOut.IsAead ? null : MacAlgorithm.Find(Choose(client.MacsServerToClient, server.MacsServerToClient, "MAC"));
        Choose(client.CompressionClientToServer, server.CompressionClientToServer, "compression method");
        Choose(client.CompressionServerToClient, server.CompressionServerToClient, "compression method");
        return new NegotiatedAlgorithms(kex, hostKey, cipherIn, macIn, cipherOut, macOut);
    }

    /// <summary>
    /// RFC 4253 §7: a guessed first kex packet is right only if both the kex and host key algorithm guesses
    /// (the sender's first entries) were chosen.
    /// </summary>
    public bool GuessedRight(KexInitMessage sender) =>
        sender.KeyExchange.FirstOrDefault() == KeyExchange.Name && sender.HostKey.FirstOrDefault() == HostKey;

    public override string ToString() => Describe(asClient: false);

    /// <summary>The algorithms with "in" and "out" as seen from our side (the client's "out" is the server's "in").</summary>
    public string Describe(bool asClient) => asClient
        ? $"{KeyExchange.Name}, host key {HostKey}, out {CipherIn.Name}{Mac(MacIn)}, in {CipherOut.Name}{Mac(MacOut)}"
        : $"{KeyExchange.Name}, host key {HostKey}, in {CipherIn.Name}{Mac(MacIn)}, out {CipherOut.Name}{Mac(MacOut)}";

    private static string Mac(MacAlgorithm? mac) => mac is null ? "" : "+" + mac.Name;

    private static string Choose(string[] clientList, string[] serverList, string what)
    {
        // Pseudo-algorithms (ext-info-*, kex-strict-*) are filtered out of the server's kex list by the caller.
        foreach (var name in clientList)
        {
            if (serverList.Contains(name))
            {
                return name;
            }
        }

        throw new SshProtocolException(
            SshDisconnectReason.KeyExchangeFailed,
            $"No matching {what}: client offered [{string.Join(',', clientList)}], server supports [{string.Join(',', serverList)}].");
    }
}
