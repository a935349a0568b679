using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Teleport.Orleans.Gateway.Tls;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Adds the proxy service to a host that already has an <see cref="IGrainFactory"/>: the silo itself in the
/// all-in-one process, or an Orleans client of the auth pool.
/// </summary>
public static class GatewayHostExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<HttpsCertificateStore>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var certificates = kestrel.ApplicationServices.GetRequiredService<HttpsCertificateStore>();
            kestrel.Listen(options.WebListenEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    https.ServerCertificateSelector = (_, serverName) => certificates.Select(serverName);
                });
            });
        });
        return builder;
    }

    /// <summary>Maps the web API on the web port only, so it never answers on the auth API's port.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<GatewayOptions>();
        var web = app.MapGroup("").RequireHost($"*:{options.WebListenEndpoint.Port}");
        PingEndpoint.Map(web);
        LoginEndpoint.Map(web);
        InviteEndpoints.Map(web);
        InvitePage.Map(web);
        HostCredentialsEndpoint.Map(web);
        return app;
    }
}
