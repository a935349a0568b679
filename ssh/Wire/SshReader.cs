using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Teleport.Orleans.Ssh.Wire;

/// <summary>
/// Reads SSH wire data (RFC 4251 §5) from a span. Every read is bounds-checked and
/// throws <see cref="FormatException"/> on truncated or malformed input, never an index exception.
/// </summary>
internal ref struct SshReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> _remaining;

    public SshReader(ReadOnlySpan<byte> data)
    {
        _remaining = data;
        Consumed = 0;
    }

    public readonly int Remaining => _remaining.Length;

    public readonly bool IsEmpty => _remaining.IsEmpty;

    /// <summary>Bytes consumed so far, e.g. to find the signed prefix of a certificate.</summary>
    public int Consumed { get; private set; }

    public byte ReadByte() => Take(1, "byte")[0];

    public bool ReadBoolean() => ReadByte() != 0;

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4, "uint32"));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8, "uint64"));

    public ReadOnlySpan<byte> ReadRaw(int count) => Take(count, "raw bytes");

    public ReadOnlySpan<byte> ReadString()
    {
        var length = ReadUInt32();
        if (length > (uint)_remaining.Length)
        {
            throw new FormatException($"SSH string of length {length} exceeds the {_remaining.Length} remaining bytes.");
        }

        return Take((int)length, "string");
    }

    public string ReadUtf8String() => DecodeUtf8(ReadString());

    /// <summary>Strict UTF-8 decoding: invalid sequences are a <see cref="FormatException"/>, not U+FFFD.</summary>
    public static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new FormatException("SSH string is not valid UTF-8.", ex);
        }
    }

    /// <summary>Two's complement mpint; leading zero padding is tolerated, as OpenSSH does.</summary>
    public BigInteger ReadMpint() => new(ReadString(), isUnsigned: false, isBigEndian: true);

    /// <summary>Non-negative mpint as a minimal unsigned big-endian magnitude (empty for zero).</summary>
    public ReadOnlySpan<byte> ReadMpintUnsigned()
    {
        var bytes = ReadString();
        if (bytes.Length > 0 && (bytes[0] & 0x80) != 0)
        {
            throw new FormatException("Negative mpint where a non-negative value is required.");
        }

        var start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        return bytes[start..];
    }

    public string[] ReadNameList()
    {
        var text = ReadUtf8String();
        if (text.Length == 0)
        {
            return [];
        }

        var names = text.Split(',');
        if (names.Any(n => n.Length == 0))
        {
            throw new FormatException("Name-list contains an empty name.");
        }

        return names;
    }

    /// <summary>Throws unless every byte was consumed; strict parsers call this last.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (!_remaining.IsEmpty)
        {
            throw new FormatException($"{what} has {_remaining.Length} unexpected trailing bytes.");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count < 0 || count > _remaining.Length)
        {
            throw new FormatException($"Truncated SSH data: needed {count} bytes for a {what}, {_remaining.Length} left.");
        }

        var slice = _remaining[..count];
        _remaining = _remaining[count..];
        Consumed += count;
        return slice;
    }
}
