using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Backends.Azure.Hosting;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.DynamoDb.Hosting;
using Teleport.Orleans.Backends.Etcd;
using Teleport.Orleans.Backends.Etcd.Membership;
using Teleport.Orleans.Backends.Postgres;
using Teleport.Orleans.Backends.Postgres.Membership;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// A proxy-only process (proxy_service on, auth_service off): joins with a Proxy token, then hosts the gateway over
/// an Orleans client of the auth pool, which it finds in the membership table of the backend they share.
/// </summary>
internal static class ProxyClient
{
    public static async Task<int> RunAsync(TeleportConfig config, Action<ILoggingBuilder> configureLogging, CancellationToken cancellationToken)
    {
        GatewayOptions options;
        Action<IClientBuilder> clustering;
        string authServer;
        try
        {
            authServer = (config.Teleport.AuthServer ?? config.Teleport.AuthServers.FirstOrDefault())?.ToString()
                ?? throw new ConfigurationException("a proxy without auth_service needs teleport.auth_server: the auth pool's address (its load balancer) to join through");
            clustering = Clustering(config.Teleport.Storage);
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
        builder.AddGatewayClient(clustering);
        builder.AddGateway(options);
        await using var app = builder.Build();
        app.UseListenerPortRouting();
        app.UseRouting();
        app.MapGateway();
        try
        {
            // Returns once the client has connected to a silo: the retry filter waits for the auth pool.
            await app.StartAsync(cancellationToken);
            await app.Services.WaitUntilListeningAsync(cancellationToken);
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

    /// <summary>The membership table the auth pool registers its silos in; only a backend every host can reach has one.</summary>
    private static Action<IClientBuilder> Clustering(StorageConfig storage)
    {
        var mapped = StorageOptionsMapper.Map(storage);
        return mapped.Kind switch
        {
            StorageKind.PostgreSql => client =>
            {
                var connectionString = PostgresConnectionStrings.ToNpgsql(mapped.ConnectionString!);
                client.ConfigureServices(services => services.AddSingleton(sp => new PostgresDatabase(connectionString, sp.GetRequiredService<ILogger<PostgresDatabase>>())));
                client.UseClusterMembership(sp => new PostgresMembershipStore(sp.GetRequiredService<PostgresDatabase>()));
            }
            ,
            StorageKind.Etcd => client =>
            {
                client.ConfigureServices(services => services.AddSingleton(sp => new EtcdDatabase(mapped.Peers, mapped.Prefix, sp.GetRequiredService<ILogger<EtcdDatabase>>())));
                client.UseClusterMembership(sp => new EtcdMembershipStore(sp.GetRequiredService<EtcdDatabase>()));
            }
            ,
            StorageKind.DynamoDb => client => client.UseDynamoDbClustering(mapped.DynamoDb!),
            StorageKind.Azure => client => client.UseAzureClustering(mapped.AzureConnectionString!),
            StorageKind.Sqlite => throw new ConfigurationException(
                "teleport.storage: a separate proxy finds the auth service in the shared backend's membership table, and sqlite is local to the auth host. "
                + "Use postgresql, etcd, dynamodb or azure for the auth pool and its proxies, or run proxy_service in the auth process"),
            _ => throw new ConfigurationException(
                $"teleport.storage.type: {mapped.Kind.ToString().ToLowerInvariant()} is not supported for a separate proxy by this release; use postgresql, etcd, dynamodb or azure"),
        };
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
