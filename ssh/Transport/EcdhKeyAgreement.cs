using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>ECDH on a NIST curve for <c>ecdh-sha2-nistp*</c> (RFC 5656 §4), with the BCL.</summary>
internal sealed class EcdhKeyAgreement : KeyAgreement
{
    private readonly EcdsaCurve _curve;
    private readonly ECDiffieHellman _ecdh;
    private readonly byte[] _publicKey;

    public EcdhKeyAgreement(EcdsaCurve curve)
    {
        _curve = curve;
        _ecdh = ECDiffieHellman.Create(curve.Curve);
        var q = _ecdh.ExportParameters(includePrivateParameters: false).Q;
        _publicKey = [0x04, .. Pad(q.X!), .. Pad(q.Y!)];
    }

    public override byte[] PublicKey => _publicKey;

    public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> clientPublicKey)
    {
        var size = _curve.FieldSize;
        if (clientPublicKey.Length != _curve.PointSize || clientPublicKey[0] != 0x04)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Client {_curve.Name} public key is not an uncompressed point.");
        }

        try
        {
            // Importing validates that the point is on the curve.
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = _curve.Curve,
                Q = new ECPoint { X = clientPublicKey.Slice(1, size).ToArray(), Y = clientPublicKey.Slice(1 + size, size).ToArray() },
            });
            return _ecdh.DeriveRawSecretAgreement(peer.PublicKey);
        }
        catch (CryptographicException ex)
        {
            throw new SshProtocolException(SshDisconnectReason.KeyExchangeFailed, $"Client {_curve.Name} public key is invalid.", ex);
        }
    }

    public override void Dispose() => _ecdh.Dispose();

    private byte[] Pad(byte[] coordinate)
    {
        if (coordinate.Length == _curve.FieldSize)
        {
            return coordinate;
        }

        var padded = new byte[_curve.FieldSize];
        coordinate.CopyTo(padded, padded.Length - coordinate.Length);
        return padded;
    }
}
