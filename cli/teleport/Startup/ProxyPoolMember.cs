using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// A proxy-only process (proxy_service on, auth_service off): joins with a Proxy token, then hosts the gateway over
/// an Orleans client of the auth pool, whose silos it learns from the auth API through teleport.auth_server (the
/// private load balancer) and reaches over mutual TLS with its Proxy certificate. It holds no backend credentials.
/// </summary>
internal static class ProxyPoolMember
{
    /// <summary>How long a starting proxy waits for the auth pool before it exits with an error (its supervisor restarts it).</summary>
    public static readonly TimeSpan AuthPoolStartLimit = TimeSpan.FromMinutes(5);

    /// <summary>Adds the joined identity, the Orleans client of the auth pool and the proxy service, in that order.</summary>
    public static GatewayOptions Add(WebApplicationBuilder builder, TeleportConfig config, GatewayOptions options)
    {
        var authServer = AuthServer(config);
        WarnIfStorageConfigured(config.Teleport.Storage, Console.Error);
        // Read when the client connects and the gateway starts, which is after the renewal service has joined.
        var joined = new JoinedProxyIdentity();
        builder.Services.AddHostedService(services => new ProxyIdentityRenewal(joined, config, authServer, options.HostNames, services.GetRequiredService<ILoggerFactory>()));
        builder.AddGatewayClient(() => joined.Current, joined.ListAuthGatewaysAsync);
        options = options with { AuthServerAddress = authServer, AuthServer = authServer, HostIdentity = () => joined.Current };
        builder.AddProxyService(options);
        return options;
    }

    public static string AuthServer(TeleportConfig config) =>
        (config.Teleport.AuthServer ?? config.Teleport.AuthServers.FirstOrDefault())?.ToString()
        ?? throw new ConfigurationException("a proxy without auth_service needs teleport.auth_server: the auth pool's address (its load balancer) to join through");

    /// <summary>Why a proxy that never reached the auth pool gave up, after <see cref="AuthPoolStartLimit"/>.</summary>
    public static StartupException AuthPoolUnreachable(TeleportConfig config, string dataDir) => new(
        $"the proxy could not connect to any auth server's Orleans gateway within {AuthPoolStartLimit.TotalMinutes:0} minutes. "
        + $"Check that the auth servers behind {AuthServer(config)} are up, that their gateway ports are reachable from this host, "
        + $"and that {ProxyJoin.IdentityDir(dataDir)} holds this cluster's proxy identity (remove it and join again with a new token if the cluster was recreated).");

    /// <summary>
    /// A proxy holds no backend credentials: it finds the auth pool through teleport.auth_server alone, as
    /// Teleport's proxies do. A storage section left in its file is a leftover worth a warning, not an error.
    /// </summary>
    private static void WarnIfStorageConfigured(StorageConfig storage, TextWriter output)
    {
        var configured = storage.Type != StorageType.Sqlite || storage.ConnString is not null || storage.Peers.Count > 0
            || storage.Endpoint is not null || storage.TableName is not null || storage.AuditEventsUri.Count > 0 || storage.AuditSessionsUri is not null;
        if (configured)
        {
            output.WriteLine("WARNING: teleport.storage is ignored by a proxy without auth_service: the proxy finds the auth servers through teleport.auth_server and needs no backend credentials; remove the storage section from this file.");
        }
    }

    public static void Print(TextWriter output, GatewayOptions options)
    {
        output.WriteLine("[PROXY] Proxy service is running (Orleans client of the auth pool).");
        output.WriteLine($"        Cluster:       {options.HostIdentity?.Invoke().ClusterName}");
        output.WriteLine($"        Web:           {options.WebListenEndpoint} (public {options.PublicAddr})");
        if (options.SshListenEndpoint is { } ssh)
        {
            output.WriteLine($"        SSH proxy:     {ssh} (public {options.SshPublicAddr})");
        }

        if (options.PeerListenEndpoint is { } peer)
        {
            output.WriteLine($"        Proxy peers:   {peer} (advertised as {options.PeerPublicAddr})");
        }

        output.WriteLine($"        Auth server:   {options.AuthServerAddress}");
        output.WriteLine();
    }
}
