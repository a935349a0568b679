namespace Teleport.Orleans.TestServers;

/// <summary>s3rver (an S3 server on the file system) on a free loopback port.</summary>
public sealed class S3rverServer : NpmServer
{
    private readonly int _port = FreePorts.Take(1)[0];

    public string Endpoint => $"http://127.0.0.1:{_port}";

    protected override IReadOnlyList<int> Ports => [_port];

    /// <summary>A bucket name that no other test uses.</summary>
    public static string UniqueBucket() => "b-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The keys s3rver holds in <paramref name="bucket"/>, read from its directory (no request, no credentials).</summary>
    public IReadOnlyList<string> ObjectKeys(string bucket)
    {
        const string Suffix = "._S3rver_object";
        var root = Path.Combine(DataDir.Path, bucket);
        return !Directory.Exists(root) ? []
            : [.. Directory.EnumerateFiles(root, "*" + Suffix, SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f)[..^Suffix.Length].Replace(Path.DirectorySeparatorChar, '/'))
                .Order(StringComparer.Ordinal)];
    }

    protected override (string Script, IReadOnlyList<string> Arguments) Command() =>
        ("s3rver/bin/s3rver.js", ["--address", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", DataDir.Path, "--silent"]);
}
