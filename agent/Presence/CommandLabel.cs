namespace Teleport.Orleans.Agent.Presence;

/// <summary>An ssh_service.commands entry: label <see cref="Name"/> is the trimmed output of <see cref="Command"/>, re-run every <see cref="Period"/>.</summary>
internal sealed record CommandLabel(string Name, IReadOnlyList<string> Command, TimeSpan Period);
