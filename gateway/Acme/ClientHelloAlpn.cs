using System.Buffers;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// Reads the ALPN protocols a TLS ClientHello offers (RFC 8446 section 4.1.2, RFC 7301) without consuming it: the
/// certificate choice for <c>acme-tls/1</c> has to be made before the handshake, and the handshake callback is
/// given the SNI name but not the offered protocols.
/// </summary>
internal static class ClientHelloAlpn
{
    /// <summary>Records of a ClientHello are at most this long (2^14 plus the header); longer hellos are not inspected.</summary>
    public const int MaxRecord = 16384 + 5;

    private const ushort AlpnExtension = 16;

    /// <summary>Null when more bytes are needed; otherwise whether <paramref name="protocol"/> is offered (false for anything unparsable).</summary>
    public static bool? Offers(ReadOnlySequence<byte> data, ReadOnlySpan<byte> protocol)
    {
        if (data.Length < 5)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[5];
        data.Slice(0, 5).CopyTo(header);
        if (header[0] != 22)
        {
            return false;
        }

        var length = (header[3] << 8) | header[4];
        if (data.Length < 5 + length)
        {
            return null;
        }

        var record = data.Slice(5, length).ToArray();
        return Offers(record, protocol);
    }

    private static bool Offers(ReadOnlySpan<byte> hello, ReadOnlySpan<byte> protocol)
    {
        // handshake type (1 = ClientHello), 3-byte length, version, 32-byte random.
        var reader = new SpanReader(hello);
        if (!reader.Byte(out var type) || type != 1 || !reader.Skip(3 + 2 + 32)
            || !reader.Vector(1, out _) || !reader.Vector(2, out _) || !reader.Vector(1, out _)
            || !reader.Vector(2, out var extensions))
        {
            return false;
        }

        var ext = new SpanReader(extensions);
        while (ext.UInt16(out var extType) && ext.Vector(2, out var body))
        {
            if (extType != AlpnExtension)
            {
                continue;
            }

            var list = new SpanReader(body);
            if (!list.Vector(2, out var names))
            {
                return false;
            }

            var entries = new SpanReader(names);
            while (entries.Vector(1, out var name))
            {
                if (name.SequenceEqual(protocol))
                {
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.Length < 1)
            {
                return false;
            }

            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2)
            {
                return false;
            }

            value = (ushort)((_rest[0] << 8) | _rest[1]);
            _rest = _rest[2..];
            return true;
        }

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        /// <summary>A vector with a <paramref name="lengthBytes"/>-byte length prefix.</summary>
        public bool Vector(int lengthBytes, out ReadOnlySpan<byte> body)
        {
            body = default;
            if (_rest.Length < lengthBytes)
            {
                return false;
            }

            var length = lengthBytes == 1 ? _rest[0] : (_rest[0] << 8) | _rest[1];
            if (_rest.Length < lengthBytes + length)
            {
                return false;
            }

            body = _rest.Slice(lengthBytes, length);
            _rest = _rest[(lengthBytes + length)..];
            return true;
        }
    }
}
