using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// One process serves several listeners (auth API, web API, diagnostics), and each endpoint is mapped to its
/// listener with <c>RequireHost("*:PORT")</c>. RequireHost reads the Host header, which the client writes: behind a
/// load balancer on 443 it names no port (so the web API would answer 404), and a client on the public web port
/// could reach the diagnostics or the auth API by naming their ports. So before routing, the header's port is
/// replaced by the port the connection actually arrived on.
/// </summary>
internal static class ListenerPortRouting
{
    public static IApplicationBuilder UseListenerPortRouting(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var port = context.Connection.LocalPort;
            if (port != 0 && context.Request.Host.Port != port)
            {
                context.Request.Host = new HostString(context.Request.Host.Host, port);
            }

            return next(context);
        });
}
