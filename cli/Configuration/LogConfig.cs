namespace Teleport.Orleans.Configuration;

/// <summary>teleport.log.</summary>
public sealed class LogConfig
{
    public const string Stderr = "stderr";
    public const string Stdout = "stdout";
    public const string Syslog = "syslog";

    /// <summary>output: "stderr" (default), "stdout", "syslog", or a file path.</summary>
    public string Output { get; init; } = Stderr;

    /// <summary>severity: the minimum level written. Default: INFO.</summary>
    public LogSeverity Severity { get; init; } = LogSeverity.Info;

    public LogFormatConfig Format { get; init; } = new();

    /// <summary>The file to write to, or null when <see cref="Output"/> is stderr, stdout or syslog.</summary>
    public string? FilePath =>
        Output.Equals(Stderr, StringComparison.OrdinalIgnoreCase)
        || Output.Equals(Stdout, StringComparison.OrdinalIgnoreCase)
        || Output.Equals(Syslog, StringComparison.OrdinalIgnoreCase)
            ? null
            : Output;
}
