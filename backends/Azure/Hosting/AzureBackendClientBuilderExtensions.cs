using Azure.Data.Tables;

namespace Teleport.Orleans.Backends.Azure.Hosting;

public static class AzureBackendClientBuilderExtensions
{
    /// <summary>
    /// Lets a client (a proxy-only process) find the auth pool's gateways through Orleans' Azure Storage clustering,
    /// in the membership table the silos of <see cref="AzureBackendSiloBuilderExtensions.UseAzureBackend"/> write.
    /// </summary>
    public static IClientBuilder UseAzureClustering(this IClientBuilder builder, string connectionString) =>
        builder.UseAzureStorageClustering(options =>
        {
            options.TableServiceClient = new TableServiceClient(connectionString);
            options.TableName = AzureBackendSiloBuilderExtensions.MembershipTable;
        });
}
