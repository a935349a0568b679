using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>
/// A YAML mapping being read into a resource: it knows its path (e.g. <c>spec.allow</c>) and its allowed keys, so
/// every error can name the line and the key, as a typo in a security policy must never pass silently.
/// </summary>
internal sealed class YamlMap
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries;

    private YamlMap(YamlMappingNode node, string path, Dictionary<string, (YamlScalarNode, YamlNode)> entries)
    {
        Node = node;
        Path = path;
        _entries = entries;
    }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    /// <summary>Reads <paramref name="node"/> as a mapping whose keys must all be among <paramref name="allowedKeys"/>.</summary>
    public static YamlMap Open(YamlNode node, string path, params string[] allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw ResourceFormatException.At(node, $"{Describe(path)} must be a mapping, not {TypeName(node)}");
        }

        var entries = new Dictionary<string, (YamlScalarNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                throw ResourceFormatException.At(keyNode, $"keys in {Describe(path)} must be strings");
            }

            if (!allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                throw ResourceFormatException.At(keyNode, $"unknown key '{key}' in {Describe(path)}");
            }

            entries[key] = (scalarKey, value);
        }

        return new YamlMap(mapping, path, entries);
    }

    /// <summary>Reads <paramref name="node"/> as a mapping with any keys, for label and trait maps.</summary>
    public static IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlNode node, string path)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw ResourceFormatException.At(node, $"{Describe(path)} must be a mapping, not {TypeName(node)}");
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw ResourceFormatException.At(keyNode, $"keys in {Describe(path)} must be strings");
            }

            yield return (key, keyNode, value);
        }
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The value under <paramref name="key"/>; null when absent or written as null.</summary>
    public YamlNode? Get(string key) =>
        _entries.TryGetValue(key, out var entry) && !IsNull(entry.Value) ? entry.Value : null;

    /// <summary>The line of the key itself, or of this mapping when the key is absent.</summary>
    public YamlNode KeyOrSelf(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : Node;

    public YamlNode Required(string key) =>
        Get(key) ?? throw ResourceFormatException.At(KeyOrSelf(key), $"missing {PathOf(key)}");

    public YamlMap? Map(string key, params string[] allowedKeys) =>
        Get(key) is { } node ? Open(node, PathOf(key), allowedKeys) : null;

    public string? String(string key) => Get(key) is { } node ? ReadString(node, PathOf(key)) : null;

    public string RequiredString(string key) => ReadString(Required(key), PathOf(key));

    public bool? Bool(string key)
    {
        if (Get(key) is not { } node)
        {
            return null;
        }

        // Only a plain true/false is a boolean; "true" in quotes is a string, as in Go's YAML.
        if (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } value })
        {
            if (value is "true" or "True" or "TRUE")
            {
                return true;
            }

            if (value is "false" or "False" or "FALSE")
            {
                return false;
            }
        }

        throw ResourceFormatException.At(node, $"{PathOf(key)} must be true or false, not {Quote(node)}");
    }

    /// <summary>A list of strings; a missing or null list is empty.</summary>
    public (string Value, YamlNode Node)[] StringList(string key) =>
        Get(key) is { } node ? ReadStringList(node, PathOf(key), allowSingle: false) : [];

    public static (string Value, YamlNode Node)[] ReadStringList(YamlNode node, string path, bool allowSingle)
    {
        if (allowSingle && node is YamlScalarNode)
        {
            return [(ReadString(node, path), node)];
        }

        if (node is not YamlSequenceNode sequence)
        {
            var expected = allowSingle ? "a string or a list of strings" : "a list of strings";
            throw ResourceFormatException.At(node, $"{path} must be {expected}, not {TypeName(node)}");
        }

        return sequence.Children.Select(item => (ReadString(item, path), item)).ToArray();
    }

    public static string ReadString(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return scalar.Value ?? "";
        }

        throw ResourceFormatException.At(node, $"{path} must be a string, not {TypeName(node)}");
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static string TypeName(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "null",
        _ => Quote(node),
    };

    private static string Quote(YamlNode node) => node is YamlScalarNode { Value: var value } ? $"'{value}'" : TypeName(node);

    private static string Describe(string path) => path.Length == 0 ? "the resource" : path;
}
