using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Grains.Directories;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Directories;

/// <summary>
/// Thousands of agents joining at once each add and then remove their token: every change must be applied in order and
/// be in the backend when its call returns, however many arrive together.
/// </summary>
[Collection(AuthClusterCollection.Name)]
public sealed class ResourceDirectoryGrainTests(AuthClusterFixture fixture)
{
    [Fact]
    public async Task Concurrent_puts_and_removes_are_all_stored_when_their_calls_return()
    {
        var directory = fixture.Grains.GetGrain<IResourceDirectoryGrain<JoinToken>>("concurrent-" + Guid.NewGuid().ToString("N"));
        var names = Enumerable.Range(0, 2000).Select(i => $"token-{i:D5}").ToArray();

        await Task.WhenAll(names.Select(name => directory.Put(name, new JoinToken { Name = name })));
        await Task.WhenAll(names.Where((_, i) => i % 2 == 0).Select(directory.Remove));

        var kept = names.Where((_, i) => i % 2 == 1).ToArray();
        Assert.Equal(kept, (await directory.List()).Select(token => token.Name));
        Assert.Equal(kept, (await StoredAsync(directory)).Keys.Order(StringComparer.Ordinal));
    }

    private async Task<Dictionary<string, JoinToken>> StoredAsync(IResourceDirectoryGrain<JoinToken> directory)
    {
        var storage = fixture.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.ClusterState);
        var state = new GrainState<DirectoryState<JoinToken>>();
        await storage.ReadStateAsync("directory", directory.GetGrainId(), state);
        return state.State?.Items ?? [];
    }
}
