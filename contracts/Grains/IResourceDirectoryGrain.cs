using Orleans.Concurrency;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// The listing of one resource kind, kept by the resource grains as they change, so that listing is one call
/// rather than one per resource. Key: <see cref="DefaultKey"/>.
/// </summary>
public interface IResourceDirectoryGrain<T> : IGrainWithStringKey
{
    const string DefaultKey = "all";

    Task Put(string name, T item);

    Task Remove(string name);

    [ReadOnly]
    Task<T[]> List();
}
