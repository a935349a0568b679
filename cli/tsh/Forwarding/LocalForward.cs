using System.Globalization;

namespace Teleport.Orleans.Cli.Tsh.Forwarding;

/// <summary>
/// One <c>-L [bind_address:]port:host:hostport</c> as ssh(1) takes it: listen on bind_address:port (127.0.0.1 unless
/// given, as OpenSSH) and carry each accepted connection to host:hostport as seen from the node.
/// </summary>
internal sealed record LocalForward(string BindAddress, int Port, string Host, int HostPort)
{
    public const string DefaultBindAddress = "127.0.0.1";

    public static LocalForward Parse(string text)
    {
        var parts = Split(text);
        if (parts is not { Count: 3 or 4 })
        {
            throw Invalid(text);
        }

        var bind = parts.Count == 4 ? parts[0] : DefaultBindAddress;
        // As OpenSSH: an empty bind address or "*" listens on every interface, "localhost" on loopback.
        bind = bind switch
        {
            "" or "*" => "0.0.0.0",
            "localhost" => DefaultBindAddress,
            _ => bind,
        };
        var port = ParsePort(parts[^3], text, allowZero: true);
        var host = parts[^2];
        var hostPort = ParsePort(parts[^1], text, allowZero: false);
        return host.Length == 0 ? throw Invalid(text) : new LocalForward(bind, port, host, hostPort);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{BindAddress}:{Port} -> {Host}:{HostPort}");

    /// <summary>Splits on ':' outside brackets, so "[::1]:8080:[fe80::1]:80" has four parts.</summary>
    internal static List<string>? Split(string text)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var bracketed = false;
        foreach (var c in text)
        {
            switch (c)
            {
                case '[' when !bracketed && current.Length == 0:
                    bracketed = true;
                    break;
                case ']' when bracketed:
                    bracketed = false;
                    break;
                case ':' when !bracketed:
                    parts.Add(current.ToString());
                    current.Clear();
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        parts.Add(current.ToString());
        return bracketed ? null : parts;
    }

    internal static int ParsePort(string text, string spec, bool allowZero) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 && (allowZero || port > 0)
            ? port
            : throw new TshException($"'{spec}': '{text}' is not a port number (1-65535).");

    private static TshException Invalid(string text) =>
        new($"'{text}' is not a local forward: expected -L [bind_address:]port:host:hostport.");
}
