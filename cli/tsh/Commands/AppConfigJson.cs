namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>What <c>tsh apps config APP --format=json</c> prints (<see cref="CommandOutputJsonContext"/>).</summary>
internal sealed record AppConfigJson(string Name, string Uri, string Ca, string Cert, string Key, string Curl);
