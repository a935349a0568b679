using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>X25519 for <c>curve25519-sha256</c> (RFC 8731), via BouncyCastle since .NET 10 has no X25519.</summary>
internal sealed class Curve25519KeyAgreement : KeyAgreement
{
    private static readonly SecureRandom Random = new();
    private readonly byte[] _privateKey = new byte[X25519.ScalarSize];
    private readonly byte[] _publicKey = new byte[X25519.PointSize];

    public Curve25519KeyAgreement()
    {
        X25519.GeneratePrivateKey(Random, _privateKey);
        X25519.GeneratePublicKey(_privateKey, 0, _publicKey, 0);
    }

    public override byte[] PublicKey => _publicKey;

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> clientPublicKey)
    {
        if (clientPublicKey.Length != X25519.PointSize)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Client X25519 public key has {clientPublicKey.Length} bytes, expected 32.");
        }

        var secret = new byte[X25519.PointSize];
        // False means an all-zero result (a low-order point), which RFC 8731 says to abort on.
        if (!X25519.CalculateAgreement(_privateKey, 0, clientPublicKey.ToArray(), 0, secret, 0))
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, "Client X25519 public key yields an all-zero shared secret.");
        }

        return secret;
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(_privateKey);
}
