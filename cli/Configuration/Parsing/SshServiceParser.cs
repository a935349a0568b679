using Teleport.Orleans.Access.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>Reads <c>ssh_service</c>.</summary>
internal static class SshServiceParser
{
    public static SshServiceConfig Read(MappingReader r)
    {
        var pam = r.Mapping("pam");
        var enhanced = r.Mapping("enhanced_recording");
        var config = new SshServiceConfig
        {
            Enabled = r.Bool("enabled", true),
            ListenAddr = r.Address("listen_addr", new NetAddress("0.0.0.0", TeleportDefaults.NodeSshPort)),
            PublicAddrs = r.Addresses("public_addr", TeleportDefaults.NodeSshPort),
            Labels = r.StringMap("labels"),
            Commands = ReadCommands(r),
            Pam = new PamConfig
            {
                Enabled = pam.Bool("enabled", false),
                ServiceName = pam.String("service_name", PamConfig.DefaultServiceName),
            },
            EnhancedRecording = new EnhancedRecordingConfig { Enabled = enhanced.Bool("enabled", false) },
            PermitUserEnv = r.Bool("permit_user_env", false),
        };
        pam.CheckUnknownKeys();
        enhanced.CheckUnknownKeys();
        r.CheckUnknownKeys();
        return config;
    }

    private static List<CommandLabelConfig> ReadCommands(MappingReader r)
    {
        var commands = new List<CommandLabelConfig>();
        foreach (var (node, path) in r.Items("commands"))
        {
            if (node is not YamlMappingNode)
            {
                r.Context.Error(node, $"{path}: expected a mapping with name, command and period, got {ScalarText.Describe(node)}");
                continue;
            }

            var item = MappingReader.Create(r.Context, node, path);
            var name = item.String("name");
            var command = item.Strings("command");
            var periodText = item.String("period");
            var period = item.Duration("period", TimeSpan.Zero);
            if (name is null)
            {
                item.Error(node, "name", "is required");
            }

            if (command.Count == 0)
            {
                item.Error(node, "command", "is required (a list: [program, arg, ...])");
            }

            if (periodText is null)
            {
                item.Error(node, "period", "is required (e.g. 1m)");
            }
            else if (GoDuration.TryParse(periodText, out var parsed) && parsed == TimeSpan.Zero)
            {
                item.Error(item.Value("period"), "period", "must be greater than zero");
            }

            item.CheckUnknownKeys();
            if (name is not null && command.Count > 0 && period > TimeSpan.Zero)
            {
                commands.Add(new CommandLabelConfig { Name = name, Command = command, Period = period });
            }
        }

        return commands;
    }
}
