namespace Teleport.Orleans.Configuration;

/// <summary>One problem found in a configuration file, located by line so the operator can go straight to it.</summary>
public sealed class ConfigurationError
{
    private readonly bool _showColumn;

    internal ConfigurationError(string sourceName, int line, int column, string message, bool showColumn = false)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Message = message;
        _showColumn = showColumn;
    }

    /// <summary>The file name (or the name given to <see cref="TeleportConfigLoader.Parse"/>).</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the offending node.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending node.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position prefix.</summary>
    public string Message { get; }

    /// <summary>Compiler-style text: <c>teleport.yaml:7: unknown key 'lisen_addr' in auth_service</c>.</summary>
    public override string ToString() =>
        _showColumn ? $"{SourceName}:{Line}:{Column}: {Message}" : $"{SourceName}:{Line}: {Message}";
}
