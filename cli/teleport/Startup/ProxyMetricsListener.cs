using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Silo.Diagnostics;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Interim: <c>/metrics</c> on teleport.diag_addr for a proxy-only process, which has no diagnostics listener of its
/// own yet. When it gets one (with /healthz and /readyz), that listener calls AddTeleportMetrics and
/// MapTeleportMetrics and this file goes.
/// </summary>
internal static class ProxyMetricsListener
{
    public static void Add(WebApplicationBuilder builder, NetAddress? diagAddr)
    {
        if (diagAddr is null)
        {
            return;
        }

        builder.Services.AddTeleportMetrics("teleport-proxy");
        var address = IPAddress.TryParse(diagAddr.Host.Trim('[', ']'), out var ip) ? ip : IPAddress.Loopback;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, diagAddr.Port, listen => listen.Protocols = HttpProtocols.Http1));
    }

    public static void Map(WebApplication app, NetAddress? diagAddr)
    {
        if (diagAddr is not null)
        {
            app.MapTeleportMetrics(diagAddr.Port);
        }
    }
}
