using System.Globalization;
using System.Net;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Access.Relay;

/// <summary>
/// The line a proxy sends a node it dials directly, before the user's SSH stream, to vouch for the client it relays
/// (Teleport's proxies do the same with a signed PROXY protocol header):
/// <c>TELEPORT-RELAY v1 CLIENT NODE UNIX-SECONDS CERT SIGNATURE</c>, where CERT is the proxy's SSH host certificate
/// (role Proxy, base64 blob) and SIGNATURE its host key's signature (base64 SSH signature blob) of everything before
/// it. Naming the node and the time keeps a captured line from being replayed elsewhere or later.
/// See <see cref="RelayPrefaceVerifier"/> for the node's side.
/// </summary>
public static class RelayPreface
{
    public const string Tag = "TELEPORT-RELAY";
    public const string Version = "v1";

    /// <summary>The preface line (without its line end), or null when <paramref name="clientAddress"/> is no IP address.</summary>
    public static string? Create(SshPrivateKey hostKey, SshCertificate hostCertificate, string clientAddress, string nodeId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hostKey);
        ArgumentNullException.ThrowIfNull(hostCertificate);
        if (!IPEndPoint.TryParse(clientAddress, out var client) || nodeId.Length == 0 || nodeId.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        var signed = string.Join(' ', Tag, Version, client.ToString(), nodeId, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(hostCertificate.Blob));
        return signed + " " + Convert.ToBase64String(hostKey.Sign(Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>The line with its CR LF, as sent.</summary>
    public static byte[] Encode(string line) => Encoding.ASCII.GetBytes(line + "\r\n");
}
