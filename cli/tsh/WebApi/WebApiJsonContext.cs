using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>
/// The request bodies tsh sends the proxy and the node listing it reads, serialized by generated code instead of
/// reflection (Native AOT).
/// </summary>
[JsonSerializable(typeof(SshLoginRequest))]
[JsonSerializable(typeof(NodeListPageJson))]
[JsonSerializable(typeof(AppSessionRequest))]
internal sealed partial class WebApiJsonContext : JsonSerializerContext;
