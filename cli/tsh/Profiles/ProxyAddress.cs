using System.Globalization;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>A host and port as given to --proxy ("proxy.example.com", "proxy:3080", "[::1]:3080").</summary>
internal readonly record struct ProxyAddress(string Host, int Port)
{
    public const int DefaultWebPort = 3080;
    public const int DefaultSshPort = 3023;

    /// <summary>Parses "host[:port]"; a missing port is <paramref name="defaultPort"/>.</summary>
    public static ProxyAddress Parse(string text, int defaultPort)
    {
        text = text.Trim();
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            text = text["https://".Length..].TrimEnd('/');
        }

        if (text.Length == 0)
        {
            throw new TshException("The proxy address is empty.");
        }

        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TshException($"'{text}' is not a valid address: missing ']'.");
            }

            host = text[1..close];
            if (close + 1 < text.Length)
            {
                port = text[(close + 1)..].TrimStart(':');
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            port = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            // ":3080" as Teleport's listen addresses write it means this machine.
            host = "localhost";
        }

        if (port is null)
        {
            return new ProxyAddress(host, defaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new TshException($"'{text}' is not a valid address: the port must be a number from 1 to 65535.");
        }

        return new ProxyAddress(host, number);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
