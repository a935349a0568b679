using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>The exchange hash H and the six derived keys of RFC 4253 §7.2 and §8.</summary>
internal sealed class KeyDerivation(HashAlgorithmName hash, byte[] sharedSecret, byte[] exchangeHash, byte[] sessionId)
{
    // K is always hashed in its mpint encoding.
    private readonly byte[] _encodedSecret = new SshWriter(sharedSecret.Length + 8).WriteMpintUnsigned(sharedSecret).ToArray();

    /// <summary>H = HASH(V_C || V_S || I_C || I_S || K_S || Q_C || Q_S || K) for the ECDH-style methods (RFC 5656, RFC 8731).</summary>
    public static byte[] ExchangeHash(
        HashAlgorithmName hash, string clientVersion, string serverVersion, byte[] clientKexInit, byte[] serverKexInit,
        byte[] hostKeyBlob, byte[] clientPublic, byte[] serverPublic, byte[] sharedSecret)
    {
        var data = new SshWriter(2048)
            .WriteString(clientVersion)
            .WriteString(serverVersion)
            .WriteString(clientKexInit)
            .WriteString(serverKexInit)
            .WriteString(hostKeyBlob)
            .WriteString(clientPublic)
            .WriteString(serverPublic)
            .WriteMpintUnsigned(sharedSecret);
        using var hasher = IncrementalHash.CreateHash(hash);
        hasher.AppendData(data.WrittenSpan);
        return hasher.GetHashAndReset();
    }

    /// <summary>HASH(K || H || letter || session_id), extended with HASH(K || H || K1 || ...) until long enough.</summary>
    public byte[] Derive(char letter, int size)
    {
        if (size == 0)
        {
            return [];
        }

        using var hasher = IncrementalHash.CreateHash(hash);
        hasher.AppendData(_encodedSecret);
        hasher.AppendData(exchangeHash);
        hasher.AppendData([(byte)letter]);
        hasher.AppendData(sessionId);
        var key = hasher.GetHashAndReset();
        while (key.Length < size)
        {
            hasher.AppendData(_encodedSecret);
            hasher.AppendData(exchangeHash);
            hasher.AppendData(key);
            key = [.. key, .. hasher.GetHashAndReset()];
        }

        return key[..size];
    }

    /// <summary>The client-to-server (incoming, letters A/C/E) or server-to-client (outgoing, B/D/F) cipher.</summary>
    public PacketCipher CreateCipher(CipherAlgorithm cipher, MacAlgorithm? mac, bool clientToServer)
    {
        var iv = Derive(clientToServer ? 'A' : 'B', cipher.IvSize);
        var key = Derive(clientToServer ? 'C' : 'D', cipher.KeySize);
        var macKey = mac is null ? [] : Derive(clientToServer ? 'E' : 'F', mac.KeySize);
        try
        {
            return cipher.Create(key, iv, mac, macKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(macKey);
        }
    }
}
