namespace Teleport.Orleans.Configuration;

/// <summary>
/// Thrown when a configuration file cannot be read, is not valid YAML, or does not match the v3 schema.
/// The message lists every problem found, one per line, each prefixed with <c>file:line:</c>.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    internal ConfigurationException(IReadOnlyList<ConfigurationError> errors, Exception? innerException = null)
        : base(string.Join(Environment.NewLine, errors), innerException)
    {
        Errors = errors;
    }

    /// <summary>The located problems, in file order; empty when the failure has no position (e.g. an unreadable file).</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    /// <summary>Line of the first problem, if it has one.</summary>
    public int? Line => Errors.Count > 0 ? Errors[0].Line : null;
}
