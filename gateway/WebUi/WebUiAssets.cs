using System.Collections.Frozen;
using System.Reflection;

namespace Teleport.Orleans.Gateway.WebUi;

/// <summary>
/// The web UI's files, embedded in this assembly at build time (WebUi.targets embeds web/dist as <c>WebUi/NAME</c>):
/// <c>index.html</c> and the content-hashed <c>app.HASH.js</c> / <c>app.HASH.css</c> it names. Read once per process.
/// </summary>
internal sealed class WebUiAssets
{
    private const string Prefix = "WebUi/";

    private readonly FrozenDictionary<string, WebUiAsset> _files;

    public WebUiAssets()
        : this(Load(typeof(WebUiAssets).Assembly))
    {
    }

    internal WebUiAssets(IEnumerable<WebUiAsset> files)
    {
        _files = files.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        Index = _files.GetValueOrDefault("index.html");
    }

    /// <summary>The app's page; null when the proxy was built without the web UI (-p:TeleportWebUi=false).</summary>
    public WebUiAsset? Index { get; }

    /// <summary>A hashed asset by file name (index.html is not one: it is served for the app's routes).</summary>
    public WebUiAsset? Find(string name) =>
        name != "index.html" && _files.TryGetValue(name, out var asset) ? asset : null;

    private static IEnumerable<WebUiAsset> Load(Assembly assembly)
    {
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            yield return new WebUiAsset(resource[Prefix.Length..], buffer.ToArray());
        }
    }
}
