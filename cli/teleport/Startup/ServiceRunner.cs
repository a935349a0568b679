using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Starts the services the configuration enables and runs them until the process is told to stop.</summary>
internal static class ServiceRunner
{
    public static async Task<int> RunAsync(TeleportConfig config, string? configPath, bool insecure, CancellationToken cancellationToken)
    {
        if (!config.AuthService.Enabled && !config.SshService.Enabled && !config.ProxyService.Enabled)
        {
            await Console.Error.WriteLineAsync("ERROR: no service is enabled. Enable auth_service, proxy_service or ssh_service.");
            return 2;
        }

        if (!config.AuthService.Enabled && config.ProxyService.Enabled)
        {
            if (config.SshService.Enabled)
            {
                await Console.Error.WriteLineAsync(
                    "ERROR: a proxy without auth_service runs on its own in this release; run ssh_service in a separate process (or set ssh_service.enabled: false).");
                return 2;
            }

            return await ProxyPoolMember.RunAsync(config, logging => ConfigureLogging(logging, config.Teleport.Log), cancellationToken);
        }

        if (!config.AuthService.Enabled)
        {
            return await RunNodeOnlyAsync(config, insecure, cancellationToken);
        }

        AuthServiceOptions options;
        Gateway.Hosting.GatewayOptions? gateway;
        try
        {
            options = AuthServiceOptionsMapper.Map(config);
            gateway = ProxyServiceStartup.Map(config);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return 2;
        }

        WebApplication app;
        try
        {
            app = AuthServiceHost.Build(options, builder =>
            {
                ConfigureLogging(builder, config.Teleport.Log);
                ProxyServiceStartup.Add(builder, gateway);
            });
            ProxyServiceStartup.Map(app, gateway);
            WritePidFile(config.Teleport.PidFile);
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The log above has the details; this line says what to fix.
            await Console.Error.WriteLineAsync($"ERROR: the auth service could not start: {Innermost(ex).Message}");
            return 1;
        }

        var settings = await app.Services.GetRequiredService<AuthBootstrapper>().Ready;
        if (gateway is not null)
        {
            await app.Services.WaitUntilListeningAsync(cancellationToken);
        }

        NextSteps.Print(Console.Out, options, gateway, settings, configPath);
        NodeService? node = null;
        if (config.SshService.Enabled)
        {
            node = await NodeStartup.StartAsync(
                config, app.Services.GetRequiredService<IGrainFactory>(), options.ListenEndpoint, app.Services.GetRequiredService<ILoggerFactory>(), insecure, cancellationToken);
            if (node is null)
            {
                await app.StopAsync(CancellationToken.None);
                return 1;
            }

            NodeStartup.Print(Console.Out, node);
        }

        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        return 0;
    }

    /// <summary>A node-only process: joins the cluster named by auth_server/proxy_server and serves SSH until stopped.</summary>
    private static async Task<int> RunNodeOnlyAsync(TeleportConfig config, bool insecure, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(logging => ConfigureLogging(logging, config.Teleport.Log));
        var node = await NodeStartup.StartAsync(config, localGrains: null, localAuth: null, loggers, insecure, cancellationToken);
        if (node is null)
        {
            return 1;
        }

        await using (node)
        {
            await using var diagnostics = await DiagnosticsStartup.StartForNodeAsync(config, node, logging => ConfigureLogging(logging, config.Teleport.Log), cancellationToken);
            WritePidFile(config.Teleport.PidFile);
            NodeStartup.Print(Console.Out, node);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return 0;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, LogConfig log) => ConfigureLogging(builder.Logging, log);

    private static void ConfigureLogging(ILoggingBuilder logging, LogConfig log)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(log.Severity switch
        {
            LogSeverity.Debug => LogLevel.Debug,
            LogSeverity.Warn => LogLevel.Warning,
            LogSeverity.Error => LogLevel.Error,
            _ => LogLevel.Information,
        });
        // Orleans and ASP.NET Core are chatty at Information; their warnings still show.
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }

    private static Exception Innermost(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Innermost(aggregate.InnerExceptions[0]) : ex;

    private static void WritePidFile(string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, Environment.ProcessId + "\n");
        }
    }
}
