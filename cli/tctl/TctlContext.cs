using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Connection;

namespace Teleport.Orleans.Cli.Tctl;

/// <summary>State shared by the commands of one tctl run: global flags, environment, the address dialled.</summary>
internal sealed class TctlContext(Func<string, string?>? environment = null)
{
    public GlobalOptions Globals { get; } = new();

    public Func<string, string?> Environment { get; } = environment ?? System.Environment.GetEnvironmentVariable;

    /// <summary>The auth server last connected to, so connection errors can name it.</summary>
    public string? AuthServer { get; private set; }

    public AuthSession Connect(ParseResult parseResult)
    {
        var target = ConnectionResolver.Resolve(parseResult, Globals, Environment);
        AuthServer = target.AuthServer;
        return AuthSession.Open(target);
    }

    public TextWriter Out(ParseResult parseResult) => parseResult.InvocationConfiguration.Output;
}
