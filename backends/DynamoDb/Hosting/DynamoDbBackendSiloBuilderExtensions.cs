using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.DynamoDb.Audit;
using Teleport.Orleans.Backends.DynamoDb.Membership;
using Teleport.Orleans.Backends.DynamoDb.Storage;

namespace Teleport.Orleans.Backends.DynamoDb.Hosting;

public static class DynamoDbBackendSiloBuilderExtensions
{
    /// <summary>
    /// Cluster state and (with <paramref name="clustering"/>) Orleans membership in one DynamoDB table: the auth
    /// pool's shared backend.
    /// </summary>
    public static ISiloBuilder UseDynamoDbBackend(this ISiloBuilder builder, DynamoDbOptions options, string storageName, bool clustering)
    {
        builder.ConfigureServices(services => services.AddKeyedSingleton(options, (sp, _) => new DynamoDbDatabase(options, sp.GetRequiredService<ILogger<DynamoDbDatabase>>())));
        builder.AddClusterStateStorage(storageName, sp => new DynamoDbClusterStateStore(sp.GetRequiredKeyedService<DynamoDbDatabase>(options)));
        if (clustering)
        {
            builder.UseClusterMembership(sp => new DynamoDbMembershipStore(sp.GetRequiredKeyedService<DynamoDbDatabase>(options)));
        }

        return builder;
    }

    /// <summary>
    /// Audit events in a DynamoDB table (<c>audit_events_uri: dynamodb://TABLE</c>), kept for
    /// <see cref="DynamoDbOptions.EventRetention"/>.
    /// </summary>
    public static ISiloBuilder UseDynamoDbAuditEvents(this ISiloBuilder builder, DynamoDbOptions options)
    {
        builder.ConfigureServices(services => services.AddKeyedSingleton(options, (sp, _) => new DynamoDbDatabase(options, sp.GetRequiredService<ILogger<DynamoDbDatabase>>())));
        return builder.AddAuditEventStore(sp => new DynamoDbAuditEventStore(sp.GetRequiredKeyedService<DynamoDbDatabase>(options), options.EventRetention));
    }
}
