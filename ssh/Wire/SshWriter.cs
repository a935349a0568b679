using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Teleport.Orleans.Ssh.Wire;

/// <summary>Builds SSH wire data (RFC 4251 §5): big-endian integers, length-prefixed strings, mpints, name-lists.</summary>
internal sealed class SshWriter
{
    // Strict so that strings with lone surrogates are refused instead of silently altered.
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    public SshWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(initialCapacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    public SshWriter WriteByte(byte value)
    {
        Reserve(1)[0] = value;
        return this;
    }

    public SshWriter WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public SshWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
        return this;
    }

    public SshWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);
        return this;
    }

    /// <summary>Raw bytes with no length prefix.</summary>
    public SshWriter WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        return this;
    }

    public SshWriter WriteString(ReadOnlySpan<byte> bytes)
    {
        WriteUInt32((uint)bytes.Length);
        return WriteRaw(bytes);
    }

    public SshWriter WriteString(string value)
    {
        var count = StrictUtf8.GetByteCount(value);
        WriteUInt32((uint)count);
        StrictUtf8.GetBytes(value, Reserve(count));
        return this;
    }

    /// <summary>Writes the bytes written so far by <paramref name="nested"/> as one string.</summary>
    public SshWriter WriteString(SshWriter nested) => WriteString(nested.WrittenSpan);

    /// <summary>Two's complement mpint, minimal length (zero is the empty string).</summary>
    public SshWriter WriteMpint(BigInteger value) =>
        WriteString(value.IsZero ? [] : value.ToByteArray(isUnsigned: false, isBigEndian: true));

    /// <summary>Positive mpint from an unsigned big-endian magnitude (as .NET key parameters hold them).</summary>
    public SshWriter WriteMpintUnsigned(ReadOnlySpan<byte> magnitude)
    {
        var start = 0;
        while (start < magnitude.Length && magnitude[start] == 0)
        {
            start++;
        }

        var trimmed = magnitude[start..];
        // A set high bit would read back as negative, so such values get a zero byte in front.
        var pad = trimmed.Length > 0 && (trimmed[0] & 0x80) != 0 ? 1 : 0;
        WriteUInt32((uint)(trimmed.Length + pad));
        if (pad == 1)
        {
            WriteByte(0);
        }

        return WriteRaw(trimmed);
    }

    public SshWriter WriteNameList(IEnumerable<string> names)
    {
        var list = names.ToList();
        foreach (var name in list)
        {
            if (name.Length == 0 || name.Contains(','))
            {
                throw new ArgumentException($"Invalid name-list entry '{name}'.", nameof(names));
            }
        }

        return WriteString(string.Join(',', list));
    }

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            var size = Math.Max(_buffer.Length * 2, _length + count);
            Array.Resize(ref _buffer, size);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
