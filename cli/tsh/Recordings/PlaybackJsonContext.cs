using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary><see cref="PlaybackEvent"/>s as indented JSON without reflection (Native AOT); an absent field is left out.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<PlaybackEvent>))]
internal sealed partial class PlaybackJsonContext : JsonSerializerContext;
