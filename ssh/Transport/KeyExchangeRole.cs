namespace Teleport.Orleans.Ssh.Transport;

/// <summary>
/// What differs between the client and the server in the transport layer: the identification lines
/// (RFC 4253 §4.2), the host key algorithms our KEXINIT offers, and the ECDH message exchange itself
/// (RFC 5656 §4, RFC 8731). <see cref="SshTransport"/> runs everything else the same way for both roles.
/// One instance serves one connection.
/// </summary>
internal abstract class KeyExchangeRole
{
    /// <summary>True for the client: it decides the order of everything hashed and the direction of each key.</summary>
    public abstract bool IsClient { get; }

    /// <summary>Our identification string, without CR LF.</summary>
    public abstract string Version { get; }

    /// <summary>The host key algorithms of our KEXINIT.</summary>
    public abstract IReadOnlyList<string> HostKeyAlgorithms { get; }

    public abstract ValueTask<string> ReadPeerVersionAsync(StreamInput input, CancellationToken cancellationToken);

    /// <summary>
    /// Exchanges the ECDH messages (the server's reply is sent here, our NEWKEYS by the transport) and derives
    /// the keys with <see cref="SshTransport.ExchangeHash"/> and <see cref="SshTransport.DeriveCiphers"/>.
    /// </summary>
    public abstract ValueTask<(PacketCipher Outgoing, PacketCipher Incoming)> ExchangeAsync(
        SshTransport transport, NegotiatedAlgorithms negotiated, CancellationToken cancellationToken);

    /// <summary>Called with the peer's first KEXINIT, before anything is negotiated.</summary>
    public virtual void OnFirstPeerKexInit(KexInitMessage peer)
    {
    }

    /// <summary>The message to send first under the first new keys (the server's EXT_INFO, RFC 8308 §2.4), if any.</summary>
    public virtual byte[]? FirstMessageUnderNewKeys() => null;

    /// <summary>The peer's EXT_INFO (RFC 8308 §2.3).</summary>
    public virtual void OnExtInfo(byte[] payload)
    {
    }
}
