namespace Teleport.Orleans.Configuration;

/// <summary>teleport.log.format.</summary>
public sealed class LogFormatConfig
{
    /// <summary>output: text (default) or json.</summary>
    public LogOutputFormat Output { get; init; } = LogOutputFormat.Text;

    /// <summary>extra_fields: fields added to each line (level, timestamp, component, caller); Teleport's default set when empty.</summary>
    public IReadOnlyList<string> ExtraFields { get; init; } = [];
}
