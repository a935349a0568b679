using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.Configuration;

/// <summary>
/// A "host:port" address as written in teleport.yaml. IPv6 literals go in brackets ("[::1]:3025"); the port may
/// be left out where the field has a default port ("example.com" for a public_addr means example.com:3080).
/// An empty host (":3080") means every interface, as with Go's net.Listen.
/// </summary>
public sealed record NetAddress(string Host, int Port)
{
    /// <summary>True when <see cref="Host"/> is an IPv6 literal (so it prints in brackets).</summary>
    public bool IsIPv6 => Host.Contains(':', StringComparison.Ordinal);

    /// <summary>Parses "host:port", "[v6]:port", or, when <paramref name="defaultPort"/> is given, a bare host.</summary>
    public static NetAddress Parse(string text, int? defaultPort = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, defaultPort, out var address, out var error) ? address : throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, int? defaultPort, [NotNullWhen(true)] out NetAddress? address) =>
        TryParseCore(text, defaultPort, out address, out _);

    /// <summary>"host:port", with IPv6 hosts in brackets: the form every parser (and Go) accepts back.</summary>
    public override string ToString() =>
        IsIPv6 ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    internal static bool TryParseCore(
        string? text,
        int? defaultPort,
        [NotNullWhen(true)] out NetAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "empty address";
            return false;
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            error = $"'{value}' is a URL; expected host:port";
            return false;
        }

        string host;
        string? port;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"missing ']' in address '{value}'";
                return false;
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (!IPAddress.TryParse(host, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' in brackets is not an IPv6 address";
                return false;
            }

            if (rest.Length == 0)
            {
                port = null;
            }
            else if (rest[0] == ':')
            {
                port = rest[1..];
            }
            else
            {
                error = $"unexpected '{rest}' after ']' in address '{value}'";
                return false;
            }
        }
        else
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                host = value;
                port = null;
            }
            else if (colon == value.LastIndexOf(':'))
            {
                host = value[..colon];
                port = value[(colon + 1)..];
            }
            else if (IPAddress.TryParse(value, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // A bare IPv6 literal cannot carry a port, but it is unambiguous as a host alone.
                host = value;
                port = null;
            }
            else
            {
                error = $"too many colons in address '{value}' (write IPv6 addresses in brackets, e.g. [::1]:3025)";
                return false;
            }

            if (host.Length > 0 && !host.Contains(':', StringComparison.Ordinal) && !IsValidHostName(host))
            {
                error = $"invalid host '{host}' in address '{value}'";
                return false;
            }
        }

        int portNumber;
        if (port is null)
        {
            if (defaultPort is null)
            {
                error = $"missing port in address '{value}' (expected host:port)";
                return false;
            }

            portNumber = defaultPort.Value;
        }
        else if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber > 65535)
        {
            error = port.Length == 0
                ? $"missing port after ':' in address '{value}'"
                : $"invalid port '{port}' in address '{value}' (expected 0-65535)";
            return false;
        }

        address = new NetAddress(host.Length == 0 ? "0.0.0.0" : host, portNumber);
        return true;
    }

    // DNS names and IPv4 literals; anything else (spaces, slashes, '@') is a typo we want to catch early.
    private static bool IsValidHostName(string host) =>
        host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
