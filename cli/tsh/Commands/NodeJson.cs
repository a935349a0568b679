namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>One node as <c>tsh ls --format=json</c> prints it (<see cref="CommandOutputJsonContext"/>).</summary>
internal sealed record NodeJson(string Name, string Hostname, string Addr, IReadOnlyDictionary<string, string> Labels, bool Tunnel);
