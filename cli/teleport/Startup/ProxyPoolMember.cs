using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// A proxy-only process (proxy_service on, auth_service off): joins with a Proxy token, then hosts the gateway over
/// an Orleans client of the auth pool, whose silos it learns from the auth API through teleport.auth_server (the
/// private load balancer) and reaches over mutual TLS with its Proxy certificate. It holds no backend credentials.
/// </summary>
internal static class ProxyPoolMember
{
    /// <summary>How long a starting proxy waits for the auth pool before it exits with an error (its supervisor restarts it).</summary>
    private static readonly TimeSpan AuthPoolStartLimit = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(TeleportConfig config, Action<ILoggingBuilder> configureLogging, CancellationToken cancellationToken)
    {
        GatewayOptions options;
        string authServer;
        try
        {
            authServer = (config.Teleport.AuthServer ?? config.Teleport.AuthServers.FirstOrDefault())?.ToString()
                ?? throw new ConfigurationException("a proxy without auth_service needs teleport.auth_server: the auth pool's address (its load balancer) to join through");
            WarnIfStorageConfigured(config.Teleport.Storage, Console.Error);
            options = ProxyServiceStartup.Map(config)!;
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return 2;
        }

        using var loggers = LoggerFactory.Create(configureLogging);
        ProxyIdentityRenewal renewal;
        try
        {
            var identity = await ProxyJoin.ObtainAsync(config, authServer, options.HostNames, loggers, cancellationToken);
            renewal = new ProxyIdentityRenewal(ProxyJoin.IdentityDir(options.DataDir), identity, authServer, options.HostNames, loggers);
            options = options with { AuthServerAddress = authServer, AuthServer = authServer, HostIdentity = () => renewal.Current };
        }
        catch (JoinException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: the proxy could not join the cluster: {ex.Message}");
            return 1;
        }
        catch (InvalidOperationException ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        configureLogging(builder.Logging);
        builder.AddGatewayClient(() => renewal.Current, renewal.ListAuthGatewaysAsync);
        builder.AddGateway(options);
        var diagnostics = DiagnosticsStartup.Add(builder, config);
        await using var app = builder.Build();
        app.UseListenerPortRouting();
        app.UseRouting();
        app.MapGateway();
        DiagnosticsStartup.Map(app, diagnostics);
        // An Orleans client refused at TLS retries until cancelled and never fails its start: bound it.
        using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startLimit.CancelAfter(AuthPoolStartLimit);
        try
        {
            // Returns once the client has connected to a silo: the retry filter waits for the auth pool.
            await app.StartAsync(startLimit.Token);
            await app.Services.WaitUntilListeningAsync(startLimit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(
                $"ERROR: the proxy could not connect to any auth server's Orleans gateway within {AuthPoolStartLimit.TotalMinutes:0} minutes. "
                + $"Check that the auth servers behind {authServer} are up, that their gateway ports are reachable from this host, "
                + $"and that {ProxyJoin.IdentityDir(options.DataDir)} holds this cluster's proxy identity (remove it and join again with a new token if the cluster was recreated).");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"ERROR: the proxy service could not start: {ex.Message}");
            return 1;
        }

        Print(Console.Out, options);
        await using (renewal)
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = renewal.RunAsync(stopping.Token);
            await app.WaitForShutdownAsync(cancellationToken);
            await stopping.CancelAsync();
            await renewing;
        }

        return 0;
    }

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

    private static void Print(TextWriter output, GatewayOptions options)
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
