namespace Teleport.Orleans.TestServers;

/// <summary>s3rver (an S3 server on the file system) on a free loopback port.</summary>
public sealed class S3rverServer : NpmServer
{
    private readonly int _port = FreePorts.Take(1)[0];

    public string Endpoint => $"http://127.0.0.1:{_port}";

    protected override IReadOnlyList<int> Ports => [_port];

    /// <summary>A bucket name that no other test uses.</summary>
    public static string UniqueBucket() => "b-" + Guid.NewGuid().ToString("N")[..12];

    protected override (string Script, IReadOnlyList<string> Arguments) Command() =>
        ("s3rver/bin/s3rver.js", ["--address", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--directory", DataDir.Path, "--silent"]);
}
