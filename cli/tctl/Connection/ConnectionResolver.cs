using System.CommandLine;
using Teleport.Orleans.AuthClient;

namespace Teleport.Orleans.Cli.Tctl.Connection;

/// <summary>
/// Finds the auth service and identity: flags first, then TELEPORT_AUTH_SERVER / TELEPORT_IDENTITY_FILE, then
/// teleport.yaml (-c, or /etc/teleport.yaml when present) for auth_service.listen_addr and data_dir/admin.identity,
/// then --data-dir (or /var/lib/teleport) for a local auth service started without a config.
/// </summary>
internal static class ConnectionResolver
{
    public const string DefaultConfigPath = "/etc/teleport.yaml";
    public const string DefaultDataDir = "/var/lib/teleport";
    public const string AdminIdentityFileName = "admin.identity";

    private const string HowToGetIdentity =
        "pass -i/--identity FILE (or set TELEPORT_IDENTITY_FILE) with an identity file from `tctl auth sign --user=NAME --format=file --out=FILE`, " +
        "or run tctl on the auth server host with -c teleport.yaml so it uses <data_dir>/" + AdminIdentityFileName;

    public static ConnectionTarget Resolve(ParseResult parseResult, GlobalOptions globals, Func<string, string?> environment)
    {
        var authServer = NonEmpty(parseResult.GetValue(globals.AuthServer)) ?? NonEmpty(environment("TELEPORT_AUTH_SERVER"));
        var identity = NonEmpty(parseResult.GetValue(globals.Identity)) ?? NonEmpty(environment("TELEPORT_IDENTITY_FILE"));

        var configPath = NonEmpty(parseResult.GetValue(globals.Config));
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new TctlException($"config file {configPath} does not exist");
        }

        if (authServer is null || identity is null)
        {
            configPath ??= File.Exists(DefaultConfigPath) ? DefaultConfigPath : null;
            if (configPath is not null)
            {
                var config = TeleportConfigReader.Read(configPath);
                authServer ??= LocalAddress(config.AuthListenAddress);
                identity ??= Path.Combine(config.DataDir, AdminIdentityFileName);
            }
        }

        // An all-in-one auth service started without a config keeps its admin identity in its data dir.
        var dataDir = NonEmpty(parseResult.GetValue(globals.DataDir));
        if (identity is null && (dataDir is not null || File.Exists(Path.Combine(DefaultDataDir, AdminIdentityFileName))))
        {
            identity = Path.Combine(dataDir ?? DefaultDataDir, AdminIdentityFileName);
        }

        if (identity is null)
        {
            throw new TctlException($"no identity file to authenticate with: {HowToGetIdentity}");
        }

        if (!File.Exists(identity))
        {
            throw new TctlException($"identity file {identity} does not exist: {HowToGetIdentity}");
        }

        return new ConnectionTarget(authServer ?? $"127.0.0.1:{AuthClientFactory.DefaultPort}", identity);
    }

    /// <summary>A listen address made dialable from this host: wildcard hosts become 127.0.0.1.</summary>
    public static string LocalAddress(string listenAddress)
    {
        var (host, port) = AuthServerAddress.Split(listenAddress.Trim().StartsWith(':') ? "0.0.0.0" + listenAddress.Trim() : listenAddress);
        if (host is "0.0.0.0" or "[::]" or "[0:0:0:0:0:0:0:0]")
        {
            host = "127.0.0.1";
        }

        return $"{host}:{port}";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
