using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Silo.Bootstrap;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// Adds auth_service to the process and says so once it is up. Kept apart from the other services so that a process
/// without the auth service never loads its types.
/// </summary>
internal static class AuthStartup
{
    public static AuthServiceOptions Add(WebApplicationBuilder builder, TeleportConfig config)
    {
        var options = AuthServiceOptionsMapper.Map(config);
        builder.AddAuthService(options);
        return options;
    }

    public static WebApplication Map(WebApplication app) => app.MapAuthService();

    /// <summary>Waits for the cluster to be bootstrapped (and the proxy to listen), then prints the next steps.</summary>
    public static async Task PrintWhenReadyAsync(IServiceProvider services, GatewayOptions? proxy, string? configPath, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = await services.GetRequiredService<AuthBootstrapper>().Ready;
        if (proxy is not null)
        {
            await services.WaitUntilListeningAsync(cancellationToken);
        }

        NextSteps.Print(output, services.GetRequiredService<AuthServiceOptions>(), proxy, settings, configPath);
    }
}
