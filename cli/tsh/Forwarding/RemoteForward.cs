using System.Globalization;

namespace Teleport.Orleans.Cli.Tsh.Forwarding;

/// <summary>
/// One <c>-R [bind_address:]port:host:hostport</c> as ssh(1) takes it: the node listens on bind_address:port and each
/// connection to it is carried back and connected to host:hostport as seen from here. Without a bind address the
/// node is asked for "localhost", with "*" or an empty one for "" (all addresses), as OpenSSH asks; the node decides.
/// </summary>
internal sealed record RemoteForward(string BindAddress, int Port, string Host, int HostPort)
{
    public const string DefaultBindAddress = "localhost";

    public static RemoteForward Parse(string text)
    {
        var parts = LocalForward.Split(text);
        if (parts is not { Count: 3 or 4 } || parts[^2].Length == 0)
        {
            throw new TshException($"'{text}' is not a remote forward: expected -R [bind_address:]port:host:hostport.");
        }

        var bind = parts.Count == 4 ? parts[0] : DefaultBindAddress;
        bind = bind is "*" ? "" : bind;
        return new RemoteForward(
            bind, LocalForward.ParsePort(parts[^3], text, allowZero: true), parts[^2], LocalForward.ParsePort(parts[^1], text, allowZero: false));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{(BindAddress.Length == 0 ? "*" : BindAddress)}:{Port} -> {Host}:{HostPort}");
}
