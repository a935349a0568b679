namespace Teleport.Orleans.Configuration;

/// <summary>An ssh_service.commands entry: label <see cref="Name"/> = trimmed output of <see cref="Command"/>.</summary>
public sealed class CommandLabelConfig
{
    public required string Name { get; init; }

    /// <summary>The program and its arguments, run without a shell.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public required TimeSpan Period { get; init; }
}
