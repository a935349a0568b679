using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Composes one <c>teleport start</c> process from teleport.yaml: one builder, to which each enabled service is added
/// (auth, then proxy, then node or app: hosted services start in that order and stop in reverse). Every mode is this one
/// composition: all-in-one, auth-only, proxy-only (an Orleans client of the auth pool), node-only and app-only.
/// </summary>
internal sealed class ProcessComposition
{
    private ProcessComposition(IHost host, string services)
    {
        Host = host;
        Services = services;
    }

    public IHost Host { get; }

    /// <summary>What this process runs, as an unexpected failure names it ("the auth service", "ssh_service").</summary>
    public string Services { get; }

    /// <summary>How long the start may take before it is abandoned (a proxy waiting for the auth pool), if bounded.</summary>
    public TimeSpan? StartLimit { get; private init; }

    public Func<StartupException>? StartLimitExceeded { get; private init; }

    /// <summary>Waits until the services are ready for users, then prints what runs where.</summary>
    public required Func<TextWriter, CancellationToken, Task> AnnounceAsync { get; init; }

    /// <summary>Throws <see cref="ConfigurationException"/> or <see cref="StartupException"/> when the file cannot run.</summary>
    public static ProcessComposition Compose(TeleportConfig config, string? configPath, bool insecure)
    {
        var (auth, proxy, node) = (config.AuthService.Enabled, config.ProxyService.Enabled, config.SshService.Enabled);
        var apps = config.AppService.Enabled;
        if (!auth && !proxy && !node && !apps)
        {
            throw new StartupException("no service is enabled. Enable auth_service, proxy_service, ssh_service or app_service.", exitCode: 2);
        }

        if (apps && !auth && (proxy || node))
        {
            throw new StartupException(
                "app_service runs beside auth_service, or on its own (joined with an app token through teleport.proxy_server); run it in a separate process from this proxy_service or ssh_service.", exitCode: 2);
        }

        if (apps && config.AppService.Apps.Count == 0)
        {
            throw new StartupException("app_service is enabled but lists no apps; add app_service.apps entries with name and uri, or set app_service.enabled: false.", exitCode: 2);
        }

        if (!auth && proxy && node)
        {
            throw new StartupException(
                "a proxy without auth_service runs on its own in this release; run ssh_service in a separate process (or set ssh_service.enabled: false).", exitCode: 2);
        }

        // The silo serves its own diagnostics; the others serve diag_addr when it is set.
        var diagnostics = auth ? null : DiagnosticsStartup.Endpoint(config);
        if (!auth && !proxy && !apps && diagnostics is null)
        {
            return ComposeNode(config, insecure);
        }

        return ComposeServices(config, configPath, insecure, diagnostics);
    }

    /// <summary>
    /// A node alone, without diag_addr: a generic host without HTTP. This method names no type of ASP.NET Core, Orleans'
    /// runtime, the gateway or the silo, so a node-only process never loads their assemblies (the JIT loads an assembly
    /// when it compiles a method that names one of its types; see docs/performance.md, node agent footprint).
    /// </summary>
    private static ProcessComposition ComposeNode(TeleportConfig config, bool insecure)
    {
        // No default configuration sources (appsettings.json with its file watcher, environment variables): teleport.yaml
        // is the node's only configuration. The host's lifetime (SIGTERM, Ctrl+C) is registered all the same.
        // The container resolves by reflection instead of compiling resolvers with Reflection.Emit: a node resolves its
        // services once, at start, so the emitted code would only cost memory.
        AppContext.SetSwitch("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", true);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ProcessLogging.Configure(builder.Logging, config.Teleport.Log);
        NodeStartup.Add(builder, config, localAuth: null, insecure);
        var host = builder.Build();
        return new ProcessComposition(host, "ssh_service")
        {
            AnnounceAsync = (output, _) =>
            {
                NodeBanner.Print(output, host.Services);
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>Every mode with an HTTP listener (auth with its proxy, node and apps; proxy-only; a node with diag_addr) and app-only.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ProcessComposition ComposeServices(TeleportConfig config, string? configPath, bool insecure, IPEndPoint? diagnostics)
    {
        var (auth, proxy, node) = (config.AuthService.Enabled, config.ProxyService.Enabled, config.SshService.Enabled);
        var apps = config.AppService.Enabled;
        var builder = WebApplication.CreateSlimBuilder();
        ProcessLogging.Configure(builder.Logging, config.Teleport.Log);
        var gateway = ProxyServiceStartup.Map(config);
        if (auth)
        {
            var authOptions = AuthStartup.Add(builder, config);
            if (gateway is not null)
            {
                builder.AddProxyService(gateway);
            }

            if (node)
            {
                NodeStartup.Add(builder, config, authOptions.ListenEndpoint, insecure);
            }

            if (apps)
            {
                AppStartup.Add(builder, config);
            }
        }
        else if (proxy)
        {
            gateway = ProxyPoolMember.Add(builder, config, gateway!);
        }
        else if (node)
        {
            NodeStartup.Add(builder, config, localAuth: null, insecure);
        }
        else
        {
            AppStartup.AddJoined(builder, config, insecure);
        }

        if (diagnostics is not null)
        {
            DiagnosticsStartup.Add(builder, diagnostics, proxy ? "teleport-proxy" : node ? "teleport-node" : "teleport-app", node: node && !proxy, appService: !proxy && !node);
        }

        var host = MapEndpoints(builder.Build(), auth, proxy, diagnostics?.Port);
        return new ProcessComposition(host, auth ? "the auth service" : proxy ? "the proxy service" : node ? "ssh_service" : "app_service")
        {
            StartLimit = auth || !proxy ? null : ProxyPoolMember.AuthPoolStartLimit,
            StartLimitExceeded = () => ProxyPoolMember.AuthPoolUnreachable(config, gateway!.DataDir),
            AnnounceAsync = async (output, cancellationToken) =>
            {
                if (auth)
                {
                    await AuthStartup.PrintWhenReadyAsync(host.Services, gateway, configPath, output, cancellationToken);
                }
                else if (proxy)
                {
                    await host.Services.WaitUntilListeningAsync(cancellationToken);
                    ProxyPoolMember.Print(output, gateway!);
                }

                if (node)
                {
                    NodeBanner.Print(output, host.Services);
                }

                if (apps)
                {
                    await AppStartup.PrintAsync(output, host.Services, cancellationToken);
                }
            },
        };
    }

    private static WebApplication MapEndpoints(WebApplication app, bool auth, bool proxy, int? diagnosticsPort)
    {
        app.UseListenerPortRouting();
        app.UseRouting();
        if (auth)
        {
            AuthStartup.Map(app);
        }

        if (proxy)
        {
            app.MapProxyService();
        }

        if (diagnosticsPort is { } port)
        {
            DiagnosticsStartup.Map(app, port);
        }

        return app;
    }
}
