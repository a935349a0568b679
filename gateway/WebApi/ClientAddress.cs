using Microsoft.AspNetCore.Http;

namespace Teleport.Orleans.Gateway.WebApi;

internal static class ClientAddress
{
    /// <summary>host:port of the peer, as audit events record it.</summary>
    public static string Of(HttpContext context)
    {
        var connection = context.Connection;
        return connection.RemoteIpAddress is { } ip
            ? new System.Net.IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, connection.RemotePort).ToString()
            : "";
    }

    /// <summary>The peer's IP address alone (IPv4-mapped as IPv4), the key of per-address limits.</summary>
    public static string IpOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : "unknown";
}
