using System.CommandLine;

namespace Teleport.Orleans.Cli.Tsh;

/// <summary>Flags every tsh command accepts, before or after the verb (Teleport's names).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Proxy { get; } = new("--proxy")
    {
        Description = "Teleport proxy address host:port (web port, default 3080) (env TELEPORT_PROXY)",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = "Teleport user (default: the logged-in user, else the local user) (env TELEPORT_USER)",
        Recursive = true,
    };

    public Option<string?> Login { get; } = new("--login", "-l")
    {
        Description = "Remote host login (env TELEPORT_LOGIN)",
        Recursive = true,
    };

    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Do not verify the proxy's TLS certificate and SSH host key (test clusters with self-signed certificates only)",
        Recursive = true,
    };

    public Option<bool> Debug { get; } = new("--debug", "-d")
    {
        Description = "Print full error details",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Proxy);
        root.Options.Add(User);
        root.Options.Add(Login);
        root.Options.Add(Insecure);
        root.Options.Add(Debug);
    }
}
