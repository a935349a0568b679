using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Grains;
using Teleport.Orleans.Grains.Hosting;
using Teleport.Orleans.Silo.Api;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Boundary;
using Teleport.Orleans.Silo.Diagnostics;
using Teleport.Orleans.Silo.Membership;
using Teleport.Orleans.Silo.Tls;

namespace Teleport.Orleans.Silo.Hosting;

/// <summary>
/// Adds the auth service to the process's host: an Orleans silo, the gRPC auth API on mutual TLS, and diagnostics.
/// The proxy and the node of an all-in-one process are added to the same builder after it.
/// </summary>
public static class AuthServiceExtensions
{
    public static WebApplicationBuilder AddAuthService(this WebApplicationBuilder builder, AuthServiceOptions options)
    {
        Directory.CreateDirectory(options.DataDir);
        builder.Services.AddSingleton(options);
        // The TLS layer logs each failed handshake with a stack trace; TlsRefusalLog says it once per source instead.
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.Error);
        builder.Services.AddSingleton<AuthTlsCredentials>();
        builder.Services.AddSingleton<ApiAuthorizer>();
        builder.Services.AddSingleton<AccessPolicyFeed>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ErrorMappingInterceptor>());

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = "teleport";
                cluster.ServiceId = "teleport";
            });
            silo.UseAuthBackend(options);
            silo.UseFailureDetection(options.FailureDetection);
            silo.UseInternalMutualTls();
            silo.AddIncomingGrainCallFilter<ProxyCallPolicy>();
            silo.AddIncomingGrainCallFilter<BackendOutageFilter>();
            silo.AddOutgoingGrainCallFilter<RejectedCallRetry>();
            // A leaving silo refuses what it would forward, so the callers resend instead of losing the answer.
            silo.RefuseForwardsWhileLeaving();
            silo.AddAuthGrains(lease => lease.Ttl = options.NodeTtl);
            silo.AddDashboard(dashboard => dashboard.HideTrace = true);
        });

        // After the silo's own hosted service, so that grains are callable when it starts.
        builder.Services.AddSingleton<AuthBootstrapper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuthBootstrapper>());
        builder.Services.AddAuthShutdown(options);

        builder.Services.AddSingleton<AuthServerMetrics>();
        builder.Services.AddTeleportMetrics("teleport-auth");

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var credentials = kestrel.ApplicationServices.GetRequiredService<AuthTlsCredentials>();
            kestrel.Listen(options.ListenEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificateSelector = (_, _) => credentials.ServerCertificate;
                    // Allow, not require: a host joining with a token has no certificate yet.
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => credentials.IsTrustedClient(certificate);
                });
            });
            if (options.DiagnosticsEndpoint is { } diagnostics)
            {
                kestrel.Listen(diagnostics, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        return builder;
    }

    /// <summary>Maps the auth API on its own port and the diagnostics on theirs (after routing is in the pipeline).</summary>
    public static WebApplication MapAuthService(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<AuthServiceOptions>();
        app.MapGrpcService<AuthApiService>().RequireHost($"*:{options.ListenEndpoint.Port}");
        if (options.DiagnosticsEndpoint is { } endpoint)
        {
            app.MapDiagnostics(endpoint.Port);
        }

        return app;
    }
}
