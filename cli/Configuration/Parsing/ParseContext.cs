using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>
/// Collects every schema error of one parse, so the operator fixes a file in one pass rather than one
/// error per restart. Errors are reported in file order.
/// </summary>
internal sealed class ParseContext(string sourceName)
{
    private readonly List<ConfigurationError> _errors = [];

    public string SourceName { get; } = sourceName;

    public void Error(YamlNode? node, string message) => _errors.Add(At(node, message));

    /// <summary>An error that makes reading the rest pointless (e.g. the wrong version): thrown at once, alone.</summary>
    public ConfigurationException Fatal(YamlNode? node, string message) => new([At(node, message)]);

    public void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigurationException(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }
    }

    private ConfigurationError At(YamlNode? node, string message) =>
        node is null
            ? new ConfigurationError(SourceName, 1, 1, message)
            : new ConfigurationError(SourceName, (int)node.Start.Line, (int)node.Start.Column, message);
}
