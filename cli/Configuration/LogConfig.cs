namespace Teleport.Orleans.Configuration;

/// <summary>teleport.log.</summary>
public sealed class LogConfig
{
    public const string Stderr = "stderr";
    public const string Stdout = "stdout";

    /// <summary>output: "stderr" (default), "stdout", or a file path.</summary>
    public string Output { get; init; } = Stderr;

    /// <summary>severity: the minimum level written. Default: INFO.</summary>
    public LogSeverity Severity { get; init; } = LogSeverity.Info;

    public LogFormatConfig Format { get; init; } = new();

    /// <summary>The file to write to, or null when <see cref="Output"/> is stderr or stdout.</summary>
    public string? FilePath =>
        Output.Equals(Stderr, StringComparison.OrdinalIgnoreCase) || Output.Equals(Stdout, StringComparison.OrdinalIgnoreCase)
            ? null
            : Output;
}
