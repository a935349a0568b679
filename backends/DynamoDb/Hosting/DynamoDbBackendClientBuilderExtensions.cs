using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.DynamoDb.Membership;

namespace Teleport.Orleans.Backends.DynamoDb.Hosting;

public static class DynamoDbBackendClientBuilderExtensions
{
    /// <summary>
    /// Lets a client (a proxy-only process) find the auth pool's gateways in the membership item the silos keep in
    /// the DynamoDB table they share (see <see cref="DynamoDbBackendSiloBuilderExtensions.UseDynamoDbBackend"/>).
    /// </summary>
    public static IClientBuilder UseDynamoDbClustering(this IClientBuilder builder, DynamoDbOptions options)
    {
        builder.ConfigureServices(services => services.AddKeyedSingleton(options, (sp, _) => new DynamoDbDatabase(options, sp.GetRequiredService<ILogger<DynamoDbDatabase>>())));
        return builder.UseClusterMembership(sp => new DynamoDbMembershipStore(sp.GetRequiredKeyedService<DynamoDbDatabase>(options)));
    }
}
