using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Starts the services the configuration enables and runs them until the process is told to stop.</summary>
internal static class ServiceRunner
{
    public static async Task<int> RunAsync(TeleportConfig config, string? configPath, CancellationToken cancellationToken)
    {
        if (!config.AuthService.Enabled)
        {
            await Console.Error.WriteLineAsync(
                "ERROR: this release runs the auth service only; proxy_service and ssh_service arrive with the gateway and node agent. Enable auth_service.");
            return 2;
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
        NextSteps.Print(Console.Out, config, options, settings, configPath);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, LogConfig log)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            console.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(log.Severity switch
        {
            LogSeverity.Debug => LogLevel.Debug,
            LogSeverity.Warn => LogLevel.Warning,
            LogSeverity.Error => LogLevel.Error,
            _ => LogLevel.Information,
        });
        // Orleans and ASP.NET Core are chatty at Information; their warnings still show.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
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
