using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>
/// One page of the proxy's node listing (<c>GET /v1/webapi/sites/:site/resources</c>), read straight from the answer
/// as it arrives by generated code: at 10,000 nodes a document tree of the 3 MB answer, then a lookup per field, was a
/// third of tsh ls's CPU.
/// </summary>
internal sealed class NodeListPageJson
{
    [JsonPropertyName("items")]
    public List<NodeItemJson>? Items { get; init; }

    [JsonPropertyName("startKey")]
    public string? StartKey { get; init; }
}
