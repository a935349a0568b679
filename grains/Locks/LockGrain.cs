using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Audit;
using Teleport.Orleans.Grains.Changes;

namespace Teleport.Orleans.Grains.Locks;

/// <summary>One lock; every write is audited and pushed to nodes (WatchAccessPolicy) and gateways.</summary>
internal sealed class LockGrain(
    [PersistentState("lock", StorageNames.ClusterState)] IPersistentState<LockState> state,
    TimeProvider time) : Grain, ILockGrain
{
    private string Name => this.GetPrimaryKeyString();

    private IResourceDirectoryGrain<AccessLock> Directory =>
        GrainFactory.GetGrain<IResourceDirectoryGrain<AccessLock>>(IResourceDirectoryGrain<AccessLock>.DefaultKey);

    public async Task<AccessLock> Save(AccessLock lockResource, bool upsert, Caller caller)
    {
        if (!string.Equals(lockResource.Name, Name, StringComparison.Ordinal) || Name.Length == 0)
        {
            throw AuthException.BadParameter($"lock name \"{lockResource.Name}\" does not match \"{Name}\"");
        }

        if (lockResource.Target.IsEmpty)
        {
            throw AuthException.BadParameter("a lock needs a target: spec.target.user, login or node");
        }

        var now = time.GetUtcNow();
        if (state.State.Lock is not null && !upsert)
        {
            throw AuthException.AlreadyExists($"lock \"{Name}\" already exists");
        }

        var saved = lockResource with
        {
            CreatedAt = lockResource.CreatedAt == default ? now : lockResource.CreatedAt,
            CreatedBy = lockResource.CreatedBy.Length == 0 ? caller.Name : lockResource.CreatedBy,
        };
        state.State.Lock = saved;
        await state.WriteStateAsync();
        await Directory.Put(Name, saved);
        await GrainFactory.Audit(AuditEventTypes.LockCreated, caller, now, Fields(saved));
        await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Lock, Name = Name });
        return saved;
    }

    public Task<AccessLock?> Get() => Task.FromResult(state.State.Lock);

    public async Task Delete(Caller caller)
    {
        var existing = state.State.Lock ?? throw AuthException.NotFound($"lock \"{Name}\" is not found");
        await state.ClearStateAsync();
        await Directory.Remove(Name);
        await GrainFactory.Audit(AuditEventTypes.LockDeleted, caller, time.GetUtcNow(), Fields(existing));
        await GrainFactory.PublishChange(new ClusterChange { Kind = ClusterChangeKind.Lock, Name = Name, Removed = true });
        DeactivateOnIdle();
    }

    private static JsonObject Fields(AccessLock lockResource)
    {
        var target = new JsonObject();
        if (lockResource.Target.User.Length > 0)
        {
            target["user"] = lockResource.Target.User;
        }

        if (lockResource.Target.Login.Length > 0)
        {
            target["login"] = lockResource.Target.Login;
        }

        if (lockResource.Target.Node.Length > 0)
        {
            target["node"] = lockResource.Target.Node;
        }

        return new JsonObject { ["name"] = lockResource.Name, ["target"] = target };
    }
}

[GenerateSerializer]
internal sealed class LockState
{
    [Id(0)] public AccessLock? Lock { get; set; }
}
