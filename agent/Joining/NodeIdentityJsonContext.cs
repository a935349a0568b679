using System.Text.Json.Serialization;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// node_identity.json's serializer, generated at compile time: the same document the reflection serializer wrote
/// (property names as declared, indented), and one a node compiled ahead of time (cli/teleport-node) can read and write.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NodeIdentity))]
internal sealed partial class NodeIdentityJsonContext : JsonSerializerContext;
