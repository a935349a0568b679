using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>
/// Reads teleport.yaml strictly: unknown keys, wrong types and bad values are errors with their line, because a
/// typo in an access-control system's config should stop it from starting, not quietly fall back to a default.
/// The YAML representation model is used (not the object deserializer) so every node keeps its position.
/// </summary>
public static class TeleportConfigLoader
{
    public const string DefaultSourceName = "teleport.yaml";

    /// <summary>Reads and parses a file. Errors are reported against the file's path.</summary>
    public static TeleportConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read the configuration file: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> prefixes every error message.</summary>
    public static TeleportConfig Parse(string yaml, string sourceName = DefaultSourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var root = LoadRoot(yaml, sourceName);
        var context = new ParseContext(sourceName);
        var config = TeleportConfigParser.Read(context, root);
        context.ThrowIfErrors();
        return config;
    }

    private static YamlNode LoadRoot(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            var error = new ConfigurationError(sourceName, (int)e.Start.Line, (int)e.Start.Column, $"invalid YAML: {e.Message}", showColumn: true);
            throw new ConfigurationException([error], e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner can fail this way (seen with an unclosed flow collection) without a position;
            // the last event parsed is the closest place we can point the operator to.
            var mark = parser.Current?.Start ?? Mark.Empty;
            var error = new ConfigurationError(sourceName, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), "invalid YAML: cannot parse past this point (an unclosed '[', '{' or quote?)", showColumn: true);
            throw new ConfigurationException([error], e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new ConfigurationException([new ConfigurationError(sourceName, 1, 1, $"the configuration is empty; it needs at least 'version: {TeleportConfig.SupportedVersion}'")]);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw new ConfigurationException([new ConfigurationError(sourceName, (int)second.Start.Line, (int)second.Start.Column, $"expected a single YAML document, found {stream.Documents.Count}")]);
        }

        return stream.Documents[0].RootNode;
    }
}
