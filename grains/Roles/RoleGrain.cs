using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;
using Teleport.Orleans.Grains.Changes;

namespace Teleport.Orleans.Grains.Roles;

/// <summary>One role, validated on every write.</summary>
internal sealed class RoleGrain(
    [PersistentState("role", StorageNames.ClusterState)] IPersistentState<RoleState> state,
    TimeProvider time) : Grain, IRoleGrain
{
    private string Name => this.GetPrimaryKeyString();

    private IResourceDirectoryGrain<Role> Directory => GrainFactory.GetGrain<IResourceDirectoryGrain<Role>>(IResourceDirectoryGrain<Role>.DefaultKey);

    public async Task<Role> Save(Role role, bool upsert, Caller caller)
    {
        if (!string.Equals(role.Name, Name, StringComparison.Ordinal))
        {
            throw AuthException.BadParameter($"role name \"{role.Name}\" does not match \"{Name}\"");
        }

        try
        {
            RoleValidator.Validate(role);
        }
        catch (ArgumentException ex)
        {
            throw AuthException.BadParameter(ex.Message);
        }

        var existing = state.State.Role;
        if (existing is not null && !upsert)
        {
            throw AuthException.AlreadyExists($"role \"{Name}\" already exists");
        }

        // A role written by an admin is theirs from then on, even if it replaces a preset.
        var saved = role with { BuiltIn = caller.Name == Caller.System.Name && role.BuiltIn };
        state.State.Role = saved;
        await state.WriteStateAsync();
        await Directory.Put(Name, saved);
        await GrainFactory.Audit(existing is null ? AuditEventTypes.RoleCreated : AuditEventTypes.RoleUpdated, caller, time.GetUtcNow(), new JsonObject { ["name"] = Name });
        await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Role, Name = Name });
        return saved;
    }

    public Task<Role?> Get() => Task.FromResult(state.State.Role);

    public async Task Delete(Caller caller)
    {
        if (state.State.Role is null)
        {
            throw AuthException.NotFound($"role \"{Name}\" is not found");
        }

        var users = await GrainFactory.GetGrain<IResourceDirectoryGrain<User>>(IResourceDirectoryGrain<User>.DefaultKey).List();
        var holders = users.Where(u => u.Roles.Contains(Name, StringComparer.Ordinal)).Select(u => u.Name).ToArray();
        if (holders.Length > 0)
        {
            throw AuthException.BadParameter($"role \"{Name}\" is still assigned to users: {string.Join(", ", holders)}");
        }

        await state.ClearStateAsync();
        await Directory.Remove(Name);
        await GrainFactory.Audit(AuditEventTypes.RoleDeleted, caller, time.GetUtcNow(), new JsonObject { ["name"] = Name });
        await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Role, Name = Name, Removed = true });
        DeactivateOnIdle();
    }
}

[GenerateSerializer]
internal sealed class RoleState
{
    [Id(0)] public Role? Role { get; set; }
}
