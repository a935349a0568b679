using System.Collections.Frozen;
using System.Reflection;

namespace Teleport.Orleans.Gateway.WebUi;

/// <summary>
/// The web UI's files, embedded in this assembly at build time (WebUi.targets embeds web/dist as <c>WebUi/NAME</c>):
/// <c>index.html</c> and the content-hashed <c>app.HASH.js</c> / <c>app.HASH.css</c> it names. Read once per process.
/// For working on the UI, <c>TELEPORT_WEBUI_DIR=web/dist</c> serves that directory instead and picks up a new build
/// (a new index.html) without restarting the proxy.
/// </summary>
internal sealed class WebUiAssets
{
    public const string DirectoryVariable = "TELEPORT_WEBUI_DIR";

    private const string Prefix = "WebUi/";

    private readonly string? _directory;
    private Snapshot _snapshot;

    public WebUiAssets()
        : this(Environment.GetEnvironmentVariable(DirectoryVariable))
    {
    }

    internal WebUiAssets(string? directory)
    {
        _directory = string.IsNullOrEmpty(directory) ? null : directory;
        _snapshot = _directory is null ? new Snapshot(LoadEmbedded(typeof(WebUiAssets).Assembly), default) : LoadDirectory(_directory);
    }

    internal WebUiAssets(IEnumerable<WebUiAsset> files) => _snapshot = new Snapshot(files, default);

    /// <summary>The app's page; null when the proxy was built without the web UI (-p:TeleportWebUi=false).</summary>
    public WebUiAsset? Index => Current.Index;

    /// <summary>A hashed asset by file name (index.html is not one: it is served for the app's routes).</summary>
    public WebUiAsset? Find(string name) => name != "index.html" && Current.Files.TryGetValue(name, out var asset) ? asset : null;

    private Snapshot Current
    {
        get
        {
            if (_directory is not null && File.GetLastWriteTimeUtc(Path.Combine(_directory, "index.html")) != _snapshot.Built)
            {
                _snapshot = LoadDirectory(_directory);
            }

            return _snapshot;
        }
    }

    private static Snapshot LoadDirectory(string directory)
    {
        var built = File.GetLastWriteTimeUtc(Path.Combine(directory, "index.html"));
        var files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(path => new WebUiAsset(Path.GetFileName(path), File.ReadAllBytes(path))).ToArray()
            : [];
        return new Snapshot(files, built);
    }

    private static IEnumerable<WebUiAsset> LoadEmbedded(Assembly assembly)
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

    private sealed class Snapshot(IEnumerable<WebUiAsset> files, DateTime built)
    {
        public FrozenDictionary<string, WebUiAsset> Files { get; } = files.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

        public WebUiAsset? Index => Files.GetValueOrDefault("index.html");

        public DateTime Built { get; } = built;
    }
}
