using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// The apps the cluster serves, as this proxy knows them (the registry read every few seconds, and again on a miss),
/// and which request host names are apps: an app's public_addr, or <c>NAME.HOST</c> for a host name of this proxy.
/// </summary>
internal sealed partial class AppCatalog(IGrainFactory grains, GatewayOptions options, ILogger<AppCatalog> logger) : BackgroundService
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MissReloadAge = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly string[] _hosts = ProxyHosts(options);
    private volatile App[] _apps = [];
    private DateTimeOffset _loadedAt;

    /// <summary>The proxy's public host name apps are subdomains of (the first public_addr that is a name).</summary>
    public string PublicHost => _hosts.Length > 0 ? _hosts[0] : "localhost";

    /// <summary>The port users reach the web port at (the public address's).</summary>
    public int PublicPort { get; } = PublicPortOf(options.PublicAddr);

    public IReadOnlyList<App> Apps
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return [.. _apps.Where(a => !a.IsExpired(now))];
        }
    }

    /// <summary>The host name an app is served at.</summary>
    public string PublicAddrOf(App app) => app.PublicAddr.Length > 0 ? app.PublicAddr : $"{app.Name}.{PublicHost}";

    /// <summary>The app's URL as users open it.</summary>
    public string UrlOf(App app) => PublicPort == 443 ? $"https://{PublicAddrOf(app)}/" : $"https://{PublicAddrOf(app)}:{PublicPort}/";

    /// <summary>
    /// Whether <paramref name="host"/> (no port) names an app rather than the proxy itself, and which: the app, or
    /// null with the name asked for when no app by that name is registered.
    /// </summary>
    public async ValueTask<AppMatch?> Match(string host)
    {
        if (host.Length == 0 || IPAddress.TryParse(host, out _) || _hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var requested = Requested(host);
        if (requested is null)
        {
            return null;
        }

        var app = Find(host);
        if (app is null && DateTimeOffset.UtcNow - _loadedAt > MissReloadAge)
        {
            await Reload();
            app = Find(host);
        }

        return new AppMatch(app, requested);
    }

    /// <summary>The app named <paramref name="name"/>, reloading once on a miss.</summary>
    public async Task<App?> Get(string name)
    {
        var now = DateTimeOffset.UtcNow;
        var app = _apps.FirstOrDefault(a => a.Name == name && !a.IsExpired(now));
        if (app is null && now - _loadedAt > MissReloadAge)
        {
            await Reload();
            app = _apps.FirstOrDefault(a => a.Name == name && !a.IsExpired(now));
        }

        return app;
    }

    /// <summary>The app as this proxy last read it (expired or not); null when it has never been seen.</summary>
    public App? Cached(string name) => _apps.FirstOrDefault(a => a.Name == name);

    /// <summary>The app as the registry has it now (for the gateway holding its tunnel), kept in the cache; null when it is gone.</summary>
    public async Task<App?> ReloadApp(string name)
    {
        var app = await grains.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).Get(name);
        if (app is not null)
        {
            var apps = _apps;
            var index = Array.FindIndex(apps, a => a.Name == name);
            if (index >= 0)
            {
                var copy = (App[])apps.Clone();
                copy[index] = app;
                _apps = copy;
            }
        }

        return app;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Reload();
            try
            {
                await Task.Delay(RefreshInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private App? Find(string host)
    {
        var now = DateTimeOffset.UtcNow;
        return _apps.FirstOrDefault(a => !a.IsExpired(now) && string.Equals(PublicAddrOf(a), host, StringComparison.OrdinalIgnoreCase))
            ?? _apps.FirstOrDefault(a => !a.IsExpired(now) && a.PublicAddr.Length == 0 && _hosts.Any(h => string.Equals($"{a.Name}.{h}", host, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The app name a host asks for: its first label under one of the proxy's host names, or the host itself when some app's public_addr might be it.</summary>
    private string? Requested(string host)
    {
        foreach (var suffix in _hosts)
        {
            if (host.Length > suffix.Length + 1 && host.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase))
            {
                var label = host[..^(suffix.Length + 1)];
                return label.Contains('.', StringComparison.Ordinal) ? null : label.ToLowerInvariant();
            }
        }

        return _apps.Any(a => string.Equals(a.PublicAddr, host, StringComparison.OrdinalIgnoreCase)) ? host : null;
    }

    private async Task Reload()
    {
        await _reload.WaitAsync();
        try
        {
            _apps = await grains.GetGrain<IAppRegistryGrain>(IAppRegistryGrain.DefaultKey).List();
            _loadedAt = DateTimeOffset.UtcNow;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The auth pool may be failing over; the catalog keeps serving what it has.
            LogReloadFailed(logger, ex.Message);
        }
        finally
        {
            _reload.Release();
        }
    }

    private static string[] ProxyHosts(GatewayOptions options) =>
        [.. new[] { HostOf(options.PublicAddr) }.Concat(options.HostNames)
            .Where(h => h.Length > 0 && !IPAddress.TryParse(h, out _))
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    private static string HostOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return (colon > 0 && !address.EndsWith(']') ? address[..colon] : address).Trim('[', ']');
    }

    private static int PublicPortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && int.TryParse(address.AsSpan(colon + 1), out var port) ? port : 443;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the registered apps: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}

/// <summary>A request host that names an app: the app, or null when none is registered under <see cref="Requested"/>.</summary>
internal sealed record AppMatch(App? App, string Requested);
