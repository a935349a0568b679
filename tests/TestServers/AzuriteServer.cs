using System.Globalization;

namespace Teleport.Orleans.TestServers;

/// <summary>Azurite (Azure Blob, Queue and Table emulator) on free loopback ports with its data in a temp dir.</summary>
public sealed class AzuriteServer : NpmServer
{
    /// <summary>Azurite's well-known development account and key.</summary>
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly int[] _ports = FreePorts.Take(3);

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{_ports[0]}/{Account};QueueEndpoint=http://127.0.0.1:{_ports[1]}/{Account};TableEndpoint=http://127.0.0.1:{_ports[2]}/{Account};";

    protected override IReadOnlyList<int> Ports => [_ports[0], _ports[2]];

    /// <summary>A table or container name (letters and digits) that no other test uses.</summary>
    public static string UniqueName() => "t" + Guid.NewGuid().ToString("N")[..12];

    protected override (string Script, IReadOnlyList<string> Arguments) Command() =>
        ("azurite/dist/src/azurite.js", [
            "--blobHost", "127.0.0.1", "--blobPort", P(0),
            "--queueHost", "127.0.0.1", "--queuePort", P(1),
            "--tableHost", "127.0.0.1", "--tablePort", P(2),
            "--location", DataDir.Path, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
        ]);

    private string P(int i) => _ports[i].ToString(CultureInfo.InvariantCulture);
}
