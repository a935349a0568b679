using System.CommandLine;

namespace Teleport.Orleans.Cli.Tctl;

/// <summary>Flags every tctl command accepts, before or after the verb.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Config { get; } = new("--config", "-c")
    {
        Description = "Path to teleport.yaml; its data_dir and auth_service.listen_addr locate the auth service (default /etc/teleport.yaml if it exists)",
        Recursive = true,
    };

    public Option<string?> AuthServer { get; } = new("--auth-server")
    {
        Description = "Auth service address host:port (env TELEPORT_AUTH_SERVER)",
        Recursive = true,
    };

    public Option<string?> Identity { get; } = new("--identity", "-i")
    {
        Description = "Identity file with the credentials to use (env TELEPORT_IDENTITY_FILE)",
        Recursive = true,
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Data directory of a local auth service started without a config (uses its admin.identity; default /var/lib/teleport)",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug", "-d")
    {
        Description = "Print full error details",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Config);
        root.Options.Add(AuthServer);
        root.Options.Add(Identity);
        root.Options.Add(DataDir);
        root.Options.Add(Debug);
    }
}
