using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Tctl.Connection;

/// <summary>The two facts tctl needs from teleport.yaml: where the auth service listens and where its data lives.</summary>
internal static class TeleportConfigReader
{
    public sealed record Facts(string DataDir, string AuthListenAddress);

    public static Facts Read(string path)
    {
        TeleportConfig config;
        try
        {
            config = TeleportConfigLoader.Load(path);
        }
        catch (ConfigurationException e)
        {
            throw new TctlException(e.Message);
        }

        return new Facts(config.Teleport.DataDir, config.AuthService.ListenAddr.ToString());
    }
}
