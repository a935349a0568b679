using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;

namespace Teleport.Orleans.Grains.Cluster;

/// <summary>The cluster's identity and settings; creates the certificate authorities and built-in roles on first start.</summary>
internal sealed partial class ClusterGrain(
    [PersistentState("cluster", StorageNames.ClusterState)] IPersistentState<ClusterState> state,
    TimeProvider time,
    ILogger<ClusterGrain> logger) : Grain, IClusterGrain
{
    public async Task<ClusterSettings> Bootstrap(ClusterBootstrap bootstrap)
    {
        if (string.IsNullOrWhiteSpace(bootstrap.ClusterName))
        {
            throw AuthException.BadParameter("cluster name must not be empty");
        }

        var settings = state.State.Settings;
        if (settings is null)
        {
            settings = new ClusterSettings
            {
                ClusterName = bootstrap.ClusterName,
                AuthPreference = bootstrap.AuthPreference ?? new AuthPreference(),
                ProxyPublicAddr = bootstrap.ProxyPublicAddr,
                CreatedAt = time.GetUtcNow(),
            };
            LogCreated(settings.ClusterName);
        }
        else if (!string.Equals(settings.ClusterName, bootstrap.ClusterName, StringComparison.Ordinal))
        {
            // The name is baked into every certificate issued so far: changing it would orphan them all.
            throw AuthException.BadParameter(
                $"cluster_name '{bootstrap.ClusterName}' does not match the existing cluster '{settings.ClusterName}' in this data dir; the cluster name cannot be changed");
        }
        else
        {
            settings = settings with
            {
                AuthPreference = bootstrap.AuthPreference ?? settings.AuthPreference,
                ProxyPublicAddr = bootstrap.ProxyPublicAddr.Length > 0 ? bootstrap.ProxyPublicAddr : settings.ProxyPublicAddr,
            };
        }

        if (settings != state.State.Settings)
        {
            state.State.Settings = settings;
            await state.WriteStateAsync();
        }

        foreach (var type in Enum.GetValues<CertAuthorityType>())
        {
            await GrainFactory.GetGrain<ICertAuthorityGrain>(ICertAuthorityGrain.KeyFor(type)).Ensure(settings.ClusterName);
        }

        foreach (var role in BuiltInRoles.All)
        {
            var grain = GrainFactory.GetGrain<IRoleGrain>(role.Name);
            if (await grain.Get() is null)
            {
                await grain.Save(role, upsert: false, Caller.System);
            }
        }

        return settings;
    }

    public Task<ClusterSettings> GetSettings() =>
        state.State.Settings is { } settings
            ? Task.FromResult(settings)
            : throw AuthException.NotFound("the cluster has not been bootstrapped yet");

    public async Task<AuthPreference> SetAuthPreference(AuthPreference preference, Caller caller)
    {
        var settings = await GetSettings();
        state.State.Settings = settings with { AuthPreference = preference };
        await state.WriteStateAsync();
        await GrainFactory.Audit(AuditEventTypes.AuthPreferenceUpdate, caller, time.GetUtcNow(), new JsonObject
        {
            ["second_factor"] = preference.SecondFactor.ToString().ToLowerInvariant(),
        });
        return preference;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created cluster {ClusterName}")]
    private partial void LogCreated(string clusterName);
}

[GenerateSerializer]
internal sealed class ClusterState
{
    [Id(0)] public ClusterSettings? Settings { get; set; }
}
