using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>
/// The source-address critical option: comma-separated addresses or CIDR blocks.
/// A malformed list refuses everything, as OpenSSH does.
/// </summary>
internal static class SourceAddressList
{
    /// <summary>True if the list parses and <paramref name="address"/> falls in one of its blocks; null if the list is malformed.</summary>
    public static bool? Matches(string list, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var matched = false;
        foreach (var entry in list.Split(','))
        {
            if (!TryParse(entry.Trim(), out var network, out var prefixLength))
            {
                return null;
            }

            matched |= network.AddressFamily == address.AddressFamily && PrefixEquals(network, address, prefixLength);
        }

        return matched;
    }

    private static bool TryParse(string entry, out IPAddress network, out int prefixLength)
    {
        var slash = entry.IndexOf('/');
        var addressText = slash < 0 ? entry : entry[..slash];
        network = IPAddress.None;
        prefixLength = 0;
        if (!IsStrictAddress(addressText) || !IPAddress.TryParse(addressText, out var parsed))
        {
            return false;
        }

        network = parsed;
        var maxBits = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefixLength = maxBits;
            return true;
        }

        var bitsText = entry[(slash + 1)..];
        return bitsText.Length is > 0 and <= 3 &&
            bitsText.All(char.IsAsciiDigit) &&
            int.TryParse(bitsText, out prefixLength) &&
            prefixLength <= maxBits;
    }

    // IPAddress.TryParse also takes forms like "10" or "0x0a.1" and zone ids; only plain dotted quads and IPv6 are meant here.
    private static bool IsStrictAddress(string text)
    {
        if (text.Contains(':'))
        {
            return text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.');
        }

        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }

    private static bool PrefixEquals(IPAddress network, IPAddress address, int prefixLength)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        network.TryWriteBytes(a, out var length);
        address.TryWriteBytes(b, out _);
        var fullBytes = prefixLength / 8;
        if (!a[..fullBytes].SequenceEqual(b[..fullBytes]))
        {
            return false;
        }

        var remainingBits = prefixLength % 8;
        if (remainingBits == 0 || fullBytes >= length)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (a[fullBytes] & mask) == (b[fullBytes] & mask);
    }
}
