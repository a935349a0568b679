using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Messaging;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.Core.Hosting;

public static class MembershipSiloBuilderExtensions
{
    /// <summary>Clusters the silo through a shared membership store instead of localhost or test clustering.</summary>
    public static ISiloBuilder UseClusterMembership(this ISiloBuilder builder, Func<IServiceProvider, IMembershipStore> storeFactory) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(storeFactory);
            services.AddSingleton<IMembershipTable, ClusterMembershipTable>();
        });

    /// <summary>Lets a client find the silos' gateways in the membership store they share.</summary>
    public static IClientBuilder UseClusterMembership(this IClientBuilder builder, Func<IServiceProvider, IMembershipStore> storeFactory) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(storeFactory);
            services.AddSingleton<IGatewayListProvider, MembershipGatewayListProvider>();
        });
}
