using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Gateway.Acme;
using Teleport.Orleans.Gateway.Apps;
using Teleport.Orleans.Gateway.Audit;
using Teleport.Orleans.Gateway.Diagnostics;
using Teleport.Orleans.Gateway.Draining;
using Teleport.Orleans.Gateway.Identity;
using Teleport.Orleans.Gateway.Multiplex;
using Teleport.Orleans.Gateway.Peering;
using Teleport.Orleans.Gateway.Routing;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Gateway.Tls;
using Teleport.Orleans.Gateway.Tunnels;
using Teleport.Orleans.Gateway.WebApi;
using Teleport.Orleans.Gateway.WebEditors;
using Teleport.Orleans.Gateway.WebSessions;
using Teleport.Orleans.Gateway.WebTerminal;
using Teleport.Orleans.Gateway.WebUi;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Gateway.Hosting;

/// <summary>
/// Adds the proxy service (proxy_service) to a host that already has an <see cref="IGrainFactory"/>: the silo itself in the
/// all-in-one process, or an Orleans client of the auth pool.
/// </summary>
public static class GatewayHostExtensions
{
    public static WebApplicationBuilder AddProxyService(this WebApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<HttpsCertificateStore>();
        builder.Services.AddSingleton<ProxyIdentityProvider>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProxyIdentityProvider>());
        // Added before every service that audits, so it stops after them and writes what they buffered.
        builder.Services.AddSingleton<ProxyAuditLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProxyAuditLog>());
        builder.Services.AddSingleton<RoutingCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RoutingCache>());
        builder.Services.AddSingleton<RoleSetCache>();
        builder.Services.AddSingleton<NodeListIndex>();
        builder.Services.AddSingleton<TunnelRegistry>();
        builder.Services.AddHostedService<TunnelRecordKeeper>();
        builder.Services.AddSingleton<TunnelAdmission>(_ => new TunnelAdmission());
        builder.Services.AddSingleton<TunnelServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TunnelServer>());
        builder.Services.AddSingleton<PeerDialer>();
        builder.Services.AddSingleton<PeerServer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PeerServer>());
        builder.Services.AddSingleton<TunnelConnector>();
        builder.Services.AddSingleton<NodeRouter>();
        builder.Services.AddSingleton<ProxyAudit>();
        builder.Services.AddSingleton<ActiveConnections>();
        builder.Services.AddSingleton<ProxyMetrics>();
        builder.Services.AddSingleton<ProxyConnections>();
        builder.Services.AddSingleton<SshProxyService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SshProxyService>());
        builder.Services.AddSingleton<AlpnRouter>();
        // One teleport.connection_limits for every public port of the proxy, as in Teleport.
        builder.Services.AddSingleton(sp => new ConnectionLimiter(
            options.MaxConnectionsPerAddress, options.MaxUsers, sp.GetRequiredService<ILoggerFactory>().CreateLogger<ConnectionLimiter>()));
        builder.Services.AddSingleton<WebListenerGuard>();
        builder.Services.AddSingleton<WebSessionService>();
        builder.Services.AddSingleton<WebTerminalConnector>();
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<AppCatalog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AppCatalog>());
        builder.Services.AddSingleton<AppCredentials>();
        builder.Services.AddSingleton<AppLaunchExchange>();
        builder.Services.AddSingleton<AppDialer>();
        builder.Services.AddSingleton<AppForwarder>();
        builder.Services.AddSingleton<AppAudit>();
        LoginRateLimits.AddTo(builder.Services, options.LoginRateLimit);
        builder.Services.AddProxyDrain();
        builder.Services.AddWebUi();
        if (options.Acme is not null)
        {
            builder.Services.AddSingleton<AcmeCertificates>();
            builder.Services.AddSingleton<IAcmeNameSource, PublicAddrNameSource>();
            builder.Services.AddSingleton<IAcmeNameSource, AppNameSource>();
            builder.Services.AddHostedService<AcmeCertificateManager>();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var certificates = kestrel.ApplicationServices.GetRequiredService<HttpsCertificateStore>();
            var router = kestrel.ApplicationServices.GetRequiredService<AlpnRouter>();
            var guard = kestrel.ApplicationServices.GetRequiredService<WebListenerGuard>();
            var acme = options.Acme is null ? null : kestrel.ApplicationServices.GetRequiredService<AcmeCertificates>();
            // Slow or stalled clients are cut rather than held: headers within 20 s, bodies and responses at least
            // 240 B/s after 5 s (a client that stops reading cannot make the server buffer), idle keep-alives after 2 min.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(20);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Listen(options.WebListenEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(guard.Admit);
                if (acme is not null)
                {
                    listen.Use(AcmeTlsAlpn.InspectHello);
                }

                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                    // Per handshake, so a renewed certificate is served from the next connection on.
                    OnConnection = async context =>
                    {
                        var serverName = context.ClientHelloInfo.ServerName;
                        // TLS-ALPN-01 (RFC 8737): the ACME server's validation gets the challenge certificate and nothing else.
                        if (acme is not null && AcmeTlsAlpn.WasOffered(context.Connection) && await acme.ChallengeAsync(serverName) is { } challenge)
                        {
                            return new SslServerAuthenticationOptions
                            {
                                ServerCertificate = challenge,
                                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                                ApplicationProtocols = [TlsAlpnChallenge.Protocol],
                            };
                        }

                        var issued = acme?.Find(serverName);
                        return new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = issued,
                            ServerCertificate = issued is null ? certificates.Select(serverName) : null,
                            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                            ApplicationProtocols = options.Multiplex ? AlpnProtocols.Multiplexed : AlpnProtocols.WebOnly,
                            // Ask for tsh's client certificate but let clients without one in: the endpoints that need
                            // an identity check it against the cluster's TLS CA themselves (ClientIdentity).
                            ClientCertificateRequired = true,
                            RemoteCertificateValidationCallback = (_, _, _, _) => true,
                        };
                    },
                });
                if (acme is not null)
                {
                    listen.Use(AcmeTlsAlpn.CloseChallenges);
                }

                listen.Use(guard.HandshakeDone);
                if (options.Multiplex)
                {
                    listen.Use(router.Route);
                }
            });
        });
        return builder;
    }

    /// <summary>Maps the web API on the web port only, so it never answers on the auth API's port.</summary>
    public static WebApplication MapProxyService(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<GatewayOptions>();
        WebSecurityHeaders.Use(app, options.WebListenEndpoint.Port);
        app.UseRateLimiter();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        // Requests for an app's host name are served (or refused) here and never reach the web API.
        app.UseMiddleware<AppAccessMiddleware>();
        var web = app.MapGroup("").RequireHost($"*:{options.WebListenEndpoint.Port}");
        PingEndpoint.Map(web);
        LoginEndpoint.Map(web);
        WebSessionEndpoints.Map(web);
        InviteEndpoints.Map(web);
        HostCredentialsEndpoint.Map(web);
        NodeListEndpoint.Map(web);
        RecordingEndpoints.Map(web);
        ActiveSessionsEndpoint.Map(web);
        UserContextEndpoint.Map(web);
        UserEditorEndpoints.Map(web);
        RoleEditorEndpoints.Map(web);
        JoinTokenEditorEndpoints.Map(web);
        LockEditorEndpoints.Map(web);
        AccountEndpoints.Map(web);
        WebTerminalEndpoint.Map(web);
        AppSessionEndpoints.Map(web);
        // Last: the browser app answers /, /web and every /web/... route the API does not.
        WebUiEndpoints.Map(web);
        return app;
    }

    /// <summary>
    /// Completes once the SSH proxy has its identity and listens: the host's StartAsync returns before that,
    /// because the identity comes from the cluster. Callers announce "running" only after it.
    /// </summary>
    public static Task WaitUntilListeningAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SshProxyService>().Listening.Task.WaitAsync(cancellationToken);

    /// <summary>Whether <see cref="WaitUntilListeningAsync"/> has completed successfully.</summary>
    internal static bool ListenersStarted(this IServiceProvider services) =>
        services.GetRequiredService<SshProxyService>().Listening.Task.IsCompletedSuccessfully;
}
