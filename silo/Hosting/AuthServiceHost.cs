using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Configuration;
using Orleans.Dashboard;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Grains;
using Teleport.Orleans.Grains.Hosting;
using Teleport.Orleans.Silo.Api;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Boundary;
using Teleport.Orleans.Silo.Diagnostics;
using Teleport.Orleans.Silo.Membership;
using Teleport.Orleans.Silo.Tls;

namespace Teleport.Orleans.Silo.Hosting;

/// <summary>Composes the auth service: an Orleans silo, the gRPC auth API on mutual TLS, and diagnostics.</summary>
public static class AuthServiceHost
{
    public static WebApplication Build(AuthServiceOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(options.DataDir);
        var builder = WebApplication.CreateSlimBuilder();
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
            silo.AddAuthGrains(lease => lease.Ttl = options.NodeTtl);
            silo.AddDashboard(dashboard => dashboard.HideTrace = true);
        });

        // After the silo's own hosted service, so that grains are callable when it starts.
        builder.Services.AddSingleton<AuthBootstrapper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuthBootstrapper>());
        builder.Services.AddAuthShutdown(options);

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("teleport-auth"))
            .WithMetrics(metrics => metrics
            .AddMeter("Microsoft.Orleans")
            .AddMeter(BackendMetrics.MeterName)
            .AddPrometheusExporter());

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

        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseListenerPortRouting();
        app.UseRouting();
        app.MapGrpcService<AuthApiService>().RequireHost($"*:{options.ListenEndpoint.Port}");
        if (options.DiagnosticsEndpoint is { } endpoint)
        {
            app.MapDiagnostics(endpoint.Port);
        }

        return app;
    }
}
