using System.CommandLine;
using Teleport.Orleans.Cli.Teleport.Commands;
using Teleport.Orleans.Cli.Teleport.Startup;
using Teleport.Orleans.Cli.TeleportNode.Startup;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.TeleportNode.Commands;

/// <summary>
/// <c>teleport-node start</c>: the node-only <c>teleport start</c>, with the same teleport.yaml or the same join flags.
/// A file that enables another service is refused with a sentence naming the program that runs it.
/// </summary>
internal static class NodeStartCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Path to teleport.yaml (ssh_service only)" };
        var dataDir = new Option<string?>("--data-dir", "-d") { Description = "Data directory when no --config is given (default /var/lib/teleport)" };
        var token = new Option<string?>("--token") { Description = "Without --config: join token (teleport.auth_token)" };
        var authServer = new Option<string?>("--auth-server") { Description = "Without --config: auth server host:port to join (teleport.auth_server)" };
        var nodeName = new Option<string?>("--nodename") { Description = "Without --config: name of this host (teleport.nodename)" };
        var insecure = new Option<bool>("--insecure")
        {
            Description = "Join through a proxy whose web certificate this host does not trust (self-signed); the cluster CA is still checked against ca_pin",
        };
        var command = new Command("start", "Start the node (ssh_service) the configuration describes") { config, dataDir, token, authServer, nodeName, insecure };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TeleportConfig teleportConfig;
            try
            {
                teleportConfig = parseResult.GetValue(config) is { } file
                    ? TeleportConfigLoader.Load(file.FullName)
                    : StartFlags.Apply(
                        TeleportConfig.Default(parseResult.GetValue(dataDir) ?? TeleportDefaults.DataDir),
                        "node", parseResult.GetValue(token), parseResult.GetValue(authServer), parseResult.GetValue(nodeName));
                NodeOnly.Check(teleportConfig);
            }
            catch (ConfigurationException ex)
            {
                return await StartupFailure.ReportAsync(ex, "teleport-node", Console.Error);
            }

            return await NodeRunner.RunAsync(teleportConfig, parseResult.GetValue(insecure), cancellationToken);
        });
        return command;
    }
}
