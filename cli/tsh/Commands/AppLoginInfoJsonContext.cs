using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// <see cref="AppLoginInfo"/> as JSON without reflection (Native AOT). Default options: the property names as
/// declared and one line, as the files that earlier logins left on disk have them.
/// </summary>
[JsonSerializable(typeof(AppLoginInfo))]
internal sealed partial class AppLoginInfoJsonContext : JsonSerializerContext;
