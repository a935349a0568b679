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

    // Host id of an app service -> the gateway holding its tunnel. Kept apart from the apps: a tunnel can come up
    // before the first heartbeat. In memory like the apps; gateways write it again when it is lost (TunnelRecordKeeper).
    private readonly Dictionary<string, string> _gateways = new(StringComparer.Ordinal);

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

    public Task SetTunnelGateway(string hostId, string gateway)
    {
        if (gateway.Length == 0)
        {
            _gateways.Remove(hostId);
        }
        else
        {
            _gateways[hostId] = gateway;
        }

        return Task.CompletedTask;
    }

    public Task ClearTunnelGateway(string hostId, string gateway)
    {
        if (_gateways.TryGetValue(hostId, out var recorded) && recorded == gateway)
        {
            _gateways.Remove(hostId);
        }

        return Task.CompletedTask;
    }

    public Task<App[]> List()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(_apps.Values.Where(a => !a.IsExpired(now)).OrderBy(a => a.Name, StringComparer.Ordinal).Select(WithGateway).ToArray());
    }

    public Task<App?> Get(string name) =>
        Task.FromResult(_apps.TryGetValue(name, out var app) && !app.IsExpired(time.GetUtcNow()) ? WithGateway(app) : null);

    private App WithGateway(App app) =>
        app.UseTunnel && _gateways.TryGetValue(app.HostId, out var gateway) ? app with { TunnelGateway = gateway } : app;

    private void Sweep(DateTimeOffset now)
    {
        foreach (var expired in _apps.Values.Where(a => a.IsExpired(now)).ToArray())
        {
            _apps.Remove(expired.Name);
        }
    }
}
