using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>One node of <see cref="NodeListPageJson"/>: the fields tsh shows or matches on; the rest are skipped.</summary>
internal sealed class NodeItemJson
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    [JsonPropertyName("addr")]
    public string? Addr { get; init; }

    [JsonPropertyName("tunnel")]
    public bool Tunnel { get; init; }

    /// <summary>Teleport's unified resources shape.</summary>
    [JsonPropertyName("labels")]
    [JsonConverter(typeof(LabelListConverter))]
    public List<KeyValuePair<string, string>>? Labels { get; init; }

    /// <summary>The web UI's server shape.</summary>
    [JsonPropertyName("tags")]
    [JsonConverter(typeof(LabelListConverter))]
    public List<KeyValuePair<string, string>>? Tags { get; init; }
}
