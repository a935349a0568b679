using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Azure.Audit;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core.Hosting;

namespace Teleport.Orleans.Backends.Azure.Hosting;

public static class AzureBackendSiloBuilderExtensions
{
    public const string StateTable = "TeleportClusterState";
    public const string AuditTable = "TeleportAuditEvents";
    public const string MembershipTable = "TeleportMembership";

    /// <summary>
    /// Cluster state in an Azure Table over the project's grain storage, and (with <paramref name="clustering"/>)
    /// membership through Orleans' own Azure Storage clustering in the same account.
    /// </summary>
    public static ISiloBuilder UseAzureBackend(this ISiloBuilder builder, string connectionString, string storageName, bool clustering)
    {
        builder.ConfigureServices(services => services.AddSingleton(sp => new AzureTables(connectionString, sp.GetRequiredService<ILogger<AzureTables>>())));
        builder.AddClusterStateStorage(storageName, sp => new AzureTableClusterStateStore(sp.GetRequiredService<AzureTables>(), StateTable));
        if (clustering)
        {
            builder.UseAzureStorageClustering(options =>
            {
                options.TableServiceClient = new TableServiceClient(connectionString);
                options.TableName = MembershipTable;
            });
        }

        return builder;
    }

    /// <summary>Audit events in an Azure Table of the account.</summary>
    public static ISiloBuilder UseAzureAuditEvents(this ISiloBuilder builder, string connectionString, string tableName = AuditTable) =>
        builder.AddAuditEventStore(sp => new AzureTableAuditEventStore(new AzureTables(connectionString, sp.GetRequiredService<ILogger<AzureTables>>()), tableName));
}
