using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Directories;

/// <summary>Keeps the listing of one resource kind so that listing never reads every resource grain.</summary>
internal sealed class ResourceDirectoryGrain<T>(
    [PersistentState("directory", StorageNames.ClusterState)] IPersistentState<DirectoryState<T>> state)
    : Grain, IResourceDirectoryGrain<T>
{
    public async Task Put(string name, T item)
    {
        state.State.Items[name] = item;
        await state.WriteStateAsync();
    }

    public async Task Remove(string name)
    {
        if (state.State.Items.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<T[]> List() =>
        Task.FromResult(state.State.Items.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Value).ToArray());
}

[GenerateSerializer]
internal sealed class DirectoryState<T>
{
    [Id(0)] public Dictionary<string, T> Items { get; set; } = new(StringComparer.Ordinal);
}
