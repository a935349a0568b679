using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Apps;

/// <summary>
/// The apps announced by app services, in memory with a lease each (see <see cref="IAppRegistryGrain"/>). Two app
/// services may not announce the same name: the later one is refused while the first one's lease runs.
/// </summary>
internal sealed class AppRegistryGrain(TimeProvider time) : Grain, IAppRegistryGrain
{
    private readonly Dictionary<string, App> _apps = new(StringComparer.Ordinal);

    public Task Heartbeat(string hostId, App[] apps, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var now = time.GetUtcNow();
        Sweep(now);
        foreach (var app in apps)
        {
            if (AppValidator.Error(app) is { } error)
            {
                throw AuthException.BadParameter(error);
            }

            if (_apps.TryGetValue(app.Name, out var existing) && existing.HostId != hostId)
            {
                throw AuthException.BadParameter($"app \"{app.Name}\" is already announced by another app service ({existing.HostId})");
            }
        }

        var announced = apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _apps.Values.Where(a => a.HostId == hostId && !announced.Contains(a.Name)).ToArray())
        {
            _apps.Remove(gone.Name);
        }

        foreach (var app in apps)
        {
            _apps[app.Name] = app with { HostId = hostId, Expires = now + IAppRegistryGrain.Lease };
        }

        return Task.CompletedTask;
    }

    public Task<App[]> List()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(_apps.Values.Where(a => !a.IsExpired(now)).OrderBy(a => a.Name, StringComparer.Ordinal).ToArray());
    }

    public Task<App?> Get(string name) =>
        Task.FromResult(_apps.TryGetValue(name, out var app) && !app.IsExpired(time.GetUtcNow()) ? app : null);

    private void Sweep(DateTimeOffset now)
    {
        foreach (var expired in _apps.Values.Where(a => a.IsExpired(now)).ToArray())
        {
            _apps.Remove(expired.Name);
        }
    }
}
