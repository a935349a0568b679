using System.Net;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>An address from teleport.yaml as the endpoint a listener binds: one rule for every service's listeners.</summary>
internal static class ListenEndpoint
{
    /// <summary>
    /// An IP literal as written, an empty host as <paramref name="whenHostEmpty"/> (when given), a name resolved once at
    /// start; a name that does not resolve is a configuration error naming <paramref name="setting"/>.
    /// </summary>
    public static IPEndPoint Resolve(NetAddress address, string setting, IPAddress? whenHostEmpty = null) =>
        IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, address.Port)
        : address.Host.Length == 0 && whenHostEmpty is not null ? new IPEndPoint(whenHostEmpty, address.Port)
        : new IPEndPoint(Dns.GetHostAddresses(address.Host).FirstOrDefault()
            ?? throw new ConfigurationException($"{setting}: cannot resolve {address}"), address.Port);
}
