using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>AES in counter mode (the BCL has none): ECB over a run of 128-bit big-endian counter blocks, XORed in.</summary>
internal sealed class AesCtr : IDisposable
{
    private const int ChunkSize = 4096;
    private readonly Aes _aes;
    private readonly byte[] _counter = new byte[16];
    private readonly byte[] _blocks = new byte[ChunkSize];
    private readonly byte[] _keystream = new byte[ChunkSize];

    public AesCtr(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        iv[..16].CopyTo(_counter);
    }

    /// <summary>Encrypts or decrypts in place; SSH packets are always whole blocks, so no partial keystream is kept.</summary>
    public void Transform(Span<byte> data)
    {
        if (data.Length % 16 != 0)
        {
            throw new ArgumentException("AES-CTR input must be a whole number of blocks.", nameof(data));
        }

        while (!data.IsEmpty)
        {
            var count = Math.Min(ChunkSize, data.Length);
            for (var offset = 0; offset < count; offset += 16)
            {
                _counter.CopyTo(_blocks, offset);
                Increment();
            }

            _aes.EncryptEcb(_blocks.AsSpan(0, count), _keystream, PaddingMode.None);
            var words = MemoryMarshal.Cast<byte, ulong>(data[..count]);
            var stream = MemoryMarshal.Cast<byte, ulong>(_keystream.AsSpan(0, count));
            for (var i = 0; i < words.Length; i++)
            {
                words[i] ^= stream[i];
            }

            data = data[count..];
        }
    }

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }

    private void Increment()
    {
        for (var i = 15; i >= 0; i--)
        {
            if (++_counter[i] != 0)
            {
                break;
            }
        }
    }
}
