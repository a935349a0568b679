using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>Cluster-wide settings (name, auth preference). One activation, key <see cref="Key"/>.</summary>
public interface IClusterGrain : IGrainWithStringKey
{
    const string Key = "cluster";

    /// <summary>Creates the cluster on first start (name, CAs, built-in roles); later starts check the name matches.</summary>
    Task<ClusterSettings> Bootstrap(ClusterBootstrap bootstrap);

    [ReadOnly]
    Task<ClusterSettings> GetSettings();

    Task<AuthPreference> SetAuthPreference(AuthPreference preference, Caller caller);
}

[GenerateSerializer, Immutable]
public sealed record ClusterBootstrap
{
    [Id(0)] public required string ClusterName { get; init; }
    /// <summary>From <c>auth_service.authentication</c>; null keeps what is stored (or the default on first start).</summary>
    [Id(1)] public AuthPreference? AuthPreference { get; init; }
    [Id(2)] public string ProxyPublicAddr { get; init; } = "";
}
