using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Changes;

internal static class GrainChangeExtensions
{
    /// <summary>Tells subscribers about a stored change; one-way, so it never fails or delays the change itself.</summary>
    public static Task PublishChange(this IGrainFactory grains, ClusterChange change) =>
        grains.GetGrain<IClusterChangeHubGrain>(IClusterChangeHubGrain.DefaultKey).Publish([change]);
}
