namespace Teleport.Orleans.TestServers;

/// <summary>dynalite (a DynamoDB server on LevelDB) on a free loopback port, tables created ACTIVE at once.</summary>
public sealed class DynaliteServer : NpmServer
{
    private readonly int _port = FreePorts.Take(1)[0];

    public string Endpoint => $"http://127.0.0.1:{_port}";

    protected override IReadOnlyList<int> Ports => [_port];

    /// <summary>A table name (DynamoDB needs at least 3 characters) that no other test uses.</summary>
    public static string UniqueTable() => "t-" + Guid.NewGuid().ToString("N")[..12];

    protected override (string Script, IReadOnlyList<string> Arguments) Command() =>
        ("dynalite/cli.js", ["--host", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--path", DataDir.Path, "--createTableMs", "0", "--deleteTableMs", "0"]);
}
