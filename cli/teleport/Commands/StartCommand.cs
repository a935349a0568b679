using System.CommandLine;
using Teleport.Orleans.Cli.Teleport.Startup;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Commands;

/// <summary><c>teleport start</c>: runs the services the configuration enables until stopped.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Path to teleport.yaml; without it the all-in-one default runs" };
        var dataDir = new Option<string?>("--data-dir", "-d") { Description = "Data directory when no --config is given (default /var/lib/teleport)" };
        var roles = new Option<string?>("--roles") { Description = "Without --config: comma-separated services to run (auth, node); default all" };
        var token = new Option<string?>("--token") { Description = "Without --config: join token for a node (teleport.auth_token)" };
        var authServer = new Option<string?>("--auth-server") { Description = "Without --config: auth server host:port a node joins (teleport.auth_server)" };
        var nodeName = new Option<string?>("--nodename") { Description = "Without --config: name of this host (teleport.nodename)" };
        var insecure = new Option<bool>("--insecure")
        {
            Description = "Join through a proxy whose web certificate this host does not trust (self-signed); the cluster CA is still checked against ca_pin",
        };
        var command = new Command("start", "Start the services enabled in the configuration") { config, dataDir, roles, token, authServer, nodeName, insecure };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TeleportConfig teleportConfig;
            try
            {
                teleportConfig = parseResult.GetValue(config) is { } file
                    ? TeleportConfigLoader.Load(file.FullName)
                    : StartFlags.Apply(
                        TeleportConfig.Default(parseResult.GetValue(dataDir) ?? TeleportDefaults.DataDir),
                        parseResult.GetValue(roles), parseResult.GetValue(token), parseResult.GetValue(authServer), parseResult.GetValue(nodeName));
            }
            catch (ConfigurationException ex)
            {
                return await StartupFailure.ReportAsync(ex, "teleport", Console.Error);
            }

            return await ServiceRunner.RunAsync(teleportConfig, parseResult.GetValue(config)?.FullName, parseResult.GetValue(insecure), cancellationToken);
        });
        return command;
    }
}
