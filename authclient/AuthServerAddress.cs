namespace Teleport.Orleans.AuthClient;

/// <summary>Turns the user's "host:port" (or bare host, or https URL) into the URI the gRPC channel dials.</summary>
public static class AuthServerAddress
{
    public static Uri ToUri(string authServer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authServer);
        var text = authServer.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var explicitUri) && explicitUri.Scheme == Uri.UriSchemeHttps)
            {
                return explicitUri;
            }

            throw new FormatException($"auth server address \"{authServer}\" must be host:port or an https:// URL");
        }

        var (host, port) = Split(text);
        var builder = new UriBuilder(Uri.UriSchemeHttps, host, port);
        return builder.Uri;
    }

    /// <summary>Splits "host:port", "[v6]:port", "host" (default port) into parts; IPv6 hosts come back bracketed.</summary>
    public static (string Host, int Port) Split(string hostPort)
    {
        var text = hostPort.Trim();
        string host;
        string? portText = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                throw new FormatException($"auth server address \"{hostPort}\" has an unterminated IPv6 literal");
            }

            host = text[..(close + 1)];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                portText = rest.StartsWith(':') ? rest[1..] : throw new FormatException($"auth server address \"{hostPort}\" is malformed");
            }
        }
        else if (text.Count(c => c == ':') > 1)
        {
            // A bare IPv6 address without a port.
            host = $"[{text}]";
        }
        else
        {
            var colon = text.IndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? null : text[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            throw new FormatException($"auth server address \"{hostPort}\" has no host");
        }

        var port = AuthClientFactory.DefaultPort;
        if (portText is not null && (!int.TryParse(portText, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"auth server address \"{hostPort}\" has an invalid port \"{portText}\"");
        }

        return (host, port);
    }
}
