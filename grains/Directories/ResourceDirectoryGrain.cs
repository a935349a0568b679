using Orleans.Concurrency;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Directories;

/// <summary>
/// Keeps the listing of one resource kind so that listing never reads every resource grain. Reentrant so that changes
/// arriving while the state is being written are applied at once (each in one turn, in arrival order) and share the
/// next write instead of queueing a whole-state write each.
/// </summary>
[Reentrant]
internal sealed class ResourceDirectoryGrain<T> : Grain, IResourceDirectoryGrain<T>
{
    private readonly IPersistentState<DirectoryState<T>> _state;
    private readonly CoalescedWrite _write;

    public ResourceDirectoryGrain([PersistentState("directory", StorageNames.ClusterState)] IPersistentState<DirectoryState<T>> state)
    {
        _state = state;
        _write = new CoalescedWrite(state.WriteStateAsync);
    }

    public Task Put(string name, T item)
    {
        _state.State.Items[name] = item;
        return _write.Request();
    }

    public Task Remove(string name) =>
        _state.State.Items.Remove(name) ? _write.Request() : Task.CompletedTask;

    public Task<T[]> List() =>
        Task.FromResult(_state.State.Items.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Value).ToArray());
}

[GenerateSerializer]
internal sealed class DirectoryState<T>
{
    [Id(0)] public Dictionary<string, T> Items { get; set; } = new(StringComparer.Ordinal);
}
