namespace Teleport.Orleans.Configuration;

/// <summary>teleport.log.severity. YAML names are case-insensitive; "warning" and "err" are accepted as in Teleport.</summary>
public enum LogSeverity
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}
