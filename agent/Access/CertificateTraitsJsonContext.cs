using System.Text.Json.Serialization;

namespace Teleport.Orleans.Agent.Access;

/// <summary>The teleport-traits certificate extension's reader, generated at compile time (no reflection; Native AOT).</summary>
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class CertificateTraitsJsonContext : JsonSerializerContext;
