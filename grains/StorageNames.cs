namespace Teleport.Orleans.Grains;

public static class StorageNames
{
    /// <summary>The grain storage provider every auth grain persists to: the cluster-state backend.</summary>
    public const string ClusterState = "cluster-state";
}
