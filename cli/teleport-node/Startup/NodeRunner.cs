using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Teleport.Orleans.Agent.Hosting;
using Teleport.Orleans.Cli.Teleport.Startup;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.TeleportNode.Startup;

/// <summary>
/// Composes the node on a generic host without default configuration sources (teleport.yaml is its only configuration),
/// starts it, prints the <c>[NODE]</c> block and runs until told to stop: cli/teleport's ComposeNode and ServiceRunner
/// for ssh_service alone.
/// </summary>
internal static class NodeRunner
{
    public static async Task<int> RunAsync(TeleportConfig config, bool insecure, CancellationToken cancellationToken)
    {
        IHost? host = null;
        try
        {
            host = Build(config, insecure);
            WritePidFile(config.Teleport.PidFile);
            await host.StartAsync(cancellationToken);
            NodeBanner.Print(Console.Out, host.Services);
            await host.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopAsync(host);
            return 0;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await StopAsync(host);
            return await StartupFailure.ReportAsync(ex, "ssh_service", Console.Error);
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private static IHost Build(TeleportConfig config, bool insecure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConsoleLog.Configure(builder.Logging, config.Teleport.Log);
        builder.AddNodeService(NodeServiceOptionsMapper.Map(config, localAuthServer: null, insecure));
        return builder.Build();
    }

    private static async Task StopAsync(IHost? host)
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static void WritePidFile(string? path)
    {
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, Environment.ProcessId + "\n");
        }
    }
}
