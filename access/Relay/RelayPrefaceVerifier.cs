using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Access.Relay;

/// <summary>
/// The node's check of a <see cref="RelayPreface"/>: addressed to this node, made within <see cref="MaxSkew"/> of
/// now, signed by the key of a host certificate for role Proxy from the cluster's host CA. A proxy's certificate is
/// checked once and remembered until it expires or the host CA changes, so a session costs one signature check.
/// </summary>
public sealed class RelayPrefaceVerifier(string nodeId, Func<string> hostCa, TimeProvider? timeProvider = null)
{
    /// <summary>How far the preface's time may be from the node's clock (also how long a captured line could be replayed).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(2);

    private const int MaxRemembered = 64;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, SshCertificate> _proxies = new(StringComparer.Ordinal);
    private volatile ParsedCa? _hostCa;

    /// <summary>The client the preface vouches for, or null with <paramref name="refusal"/> saying why not.</summary>
    public IPEndPoint? Verify(string line, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ');
        if (fields.Length != 7 || fields[0] != RelayPreface.Tag || fields[1] != RelayPreface.Version)
        {
            refusal = "not a relay preface of this version";
            return null;
        }

        if (!IPEndPoint.TryParse(fields[2], out var client))
        {
            refusal = $"the client address \"{fields[2]}\" is not an IP address";
            return null;
        }

        if (fields[3] != nodeId)
        {
            refusal = $"it is addressed to node {fields[3]}";
            return null;
        }

        var now = _time.GetUtcNow();
        if (!long.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds < now.ToUnixTimeSeconds() - (long)MaxSkew.TotalSeconds || seconds > now.ToUnixTimeSeconds() + (long)MaxSkew.TotalSeconds)
        {
            refusal = "its time is not within two minutes of the node's clock";
            return null;
        }

        var proxy = Proxy(fields[5], now, out refusal);
        if (proxy is null)
        {
            return null;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(fields[6]);
        }
        catch (FormatException)
        {
            refusal = "its signature is not base64";
            return null;
        }

        var signed = Encoding.ASCII.GetBytes(line.AsSpan(0, line.LastIndexOf(' ')).ToString());
        if (!proxy.PublicKey.Verify(signed, signature))
        {
            refusal = "its signature does not verify with the proxy certificate's key";
            return null;
        }

        return client;
    }

    /// <summary>The proxy certificate in base64 when the host CA issued it for role Proxy and it is valid now.</summary>
    private SshCertificate? Proxy(string encoded, DateTimeOffset now, out string? refusal)
    {
        var ca = HostCaKey();
        if (_proxies.TryGetValue(encoded, out var known) && known.SignatureKey.Equals(ca) && known.ValidBefore > now)
        {
            refusal = null;
            return known;
        }

        SshCertificate certificate;
        try
        {
            certificate = SshCertificate.FromBlob(Convert.FromBase64String(encoded));
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or ArgumentException)
        {
            refusal = "its certificate does not parse";
            return null;
        }

        refusal = ProxyHostCertificate.Refusal(certificate, new SshCertificateValidator([ca], TimeSpan.FromMinutes(1), _time));
        if (refusal is not null)
        {
            return null;
        }

        if (_proxies.Count >= MaxRemembered)
        {
            _proxies.Clear();
        }

        _proxies[encoded] = certificate;
        return certificate;
    }

    /// <summary>The host CA key, parsed again only when the node's identity names another.</summary>
    private SshPublicKey HostCaKey()
    {
        var line = hostCa();
        if (_hostCa is { } cached && string.Equals(cached.Line, line, StringComparison.Ordinal))
        {
            return cached.Key;
        }

        var key = ProxyHostCertificate.HostCaKey(line);
        _hostCa = new ParsedCa(line, key);
        return key;
    }

    private sealed record ParsedCa(string Line, SshPublicKey Key);
}
