namespace Teleport.Orleans.Contracts.Resources;

/// <summary>
/// A web application the proxy serves at <c>https://NAME.PUBLIC_HOST</c> (Teleport's <c>kind: app</c>, announced by an
/// app_service). App services heartbeat it and it expires with their lease, as nodes do.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record App
{
    /// <summary>A DNS label: the subdomain the proxy serves the app at.</summary>
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public string Description { get; init; } = "";
    /// <summary>Where the app service reaches the app: an absolute http or https URI.</summary>
    [Id(2)] public required string Uri { get; init; }
    /// <summary>The host name users reach the app at; empty: <c>NAME.PUBLIC_HOST</c> of the proxy.</summary>
    [Id(3)] public string PublicAddr { get; init; } = "";
    [Id(4)] public Dictionary<string, string> Labels { get; init; } = new();
    [Id(5)] public bool InsecureSkipVerify { get; init; }
    [Id(6)] public AppRewrite Rewrite { get; init; } = new();
    /// <summary>The host uuid of the app service that announced the app.</summary>
    [Id(7)] public string HostId { get; init; } = "";
    /// <summary>When the lease runs out.</summary>
    [Id(8)] public DateTimeOffset Expires { get; init; }
    /// <summary>Announced by an app service on another host: the proxy reaches the app only through that service's reverse tunnel.</summary>
    [Id(9)] public bool UseTunnel { get; init; }
    /// <summary>For a tunnelled app: the gateway holding its app service's reverse tunnel (its peer address), empty when none does.</summary>
    [Id(10)] public string TunnelGateway { get; init; } = "";

    public bool IsExpired(DateTimeOffset now) => Expires <= now;
}

/// <summary>
/// <c>rewrite</c>: host names in redirects the proxy rewrites to the app's public address, and headers it sets on every
/// forwarded request (<c>"Name: value"</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AppRewrite
{
    [Id(0)] public string[] Redirect { get; init; } = [];
    [Id(1)] public string[] Headers { get; init; } = [];
}
