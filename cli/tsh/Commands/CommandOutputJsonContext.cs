using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// The JSON that commands print (<c>--format=json</c>), generated at build time instead of reflection (Native AOT):
/// camelCase names of the records' properties, indented.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<NodeJson>))]
[JsonSerializable(typeof(AppConfigJson))]
internal sealed partial class CommandOutputJsonContext : JsonSerializerContext;
