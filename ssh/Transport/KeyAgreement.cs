namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The server's ephemeral half of an (EC)DH key exchange.</summary>
internal abstract class KeyAgreement : IDisposable
{
    /// <summary>Q_S, as sent in SSH_MSG_KEX_ECDH_REPLY.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret as an unsigned big-endian magnitude (encoded as an mpint in the exchange hash).
    /// An invalid client value is an <see cref="SshProtocolException"/>.
    /// </summary>
    public abstract byte[] DeriveSharedSecret(ReadOnlySpan<byte> clientPublicKey);

    public virtual void Dispose()
    {
    }
}
