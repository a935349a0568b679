namespace Teleport.Orleans.Configuration;

/// <summary>app_service: web applications this process announces, which the proxy serves at <c>https://NAME.PUBLIC_HOST</c>.</summary>
public sealed class AppServiceConfig
{
    /// <summary>enabled: default false (as Teleport's app_service).</summary>
    public bool Enabled { get; init; }

    public IReadOnlyList<AppConfig> Apps { get; init; } = [];
}

/// <summary>One app_service.apps entry.</summary>
public sealed class AppConfig
{
    /// <summary>name: a DNS label, the subdomain the app is served at.</summary>
    public required string Name { get; init; }

    public string Description { get; init; } = "";

    /// <summary>uri: where the app service reaches the app, an absolute http or https URI.</summary>
    public required Uri Uri { get; init; }

    /// <summary>public_addr: the host name users reach the app at; empty: NAME.&lt;proxy public host&gt;.</summary>
    public string PublicAddr { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>insecure_skip_verify: do not check an https app's certificate.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>rewrite.redirect: host names in the app's redirects that the proxy rewrites to the public address.</summary>
    public IReadOnlyList<string> RewriteRedirect { get; init; } = [];

    /// <summary>rewrite.headers: headers set on every forwarded request, each "Name: value".</summary>
    public IReadOnlyList<string> RewriteHeaders { get; init; } = [];
}
