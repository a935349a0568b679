using Teleport.Orleans.Access.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>
/// Typed, strict access to one YAML mapping. Each getter records its key as known, reports a wrong type at the
/// value's line and returns the default so parsing can go on; <see cref="CheckUnknownKeys"/> then reports every
/// key no getter asked for. A missing, null or empty value means "use the default", as it does in Teleport.
/// </summary>
internal sealed class MappingReader
{
    private readonly ParseContext _context;
    private readonly List<(string Key, YamlScalarNode KeyNode, YamlNode Value)> _entries = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private MappingReader(ParseContext context, YamlNode? node, string path)
    {
        _context = context;
        Node = node;
        Path = path;
    }

    /// <summary>Dotted path of this mapping ("auth_service.authentication"); empty for the document root.</summary>
    public string Path { get; }

    /// <summary>The mapping node, or null when the section is absent or empty.</summary>
    public YamlNode? Node { get; }

    public ParseContext Context => _context;

    public static MappingReader Create(ParseContext context, YamlNode? node, string path)
    {
        if (node is null || ScalarText.IsNull(node))
        {
            return new MappingReader(context, null, path);
        }

        var reader = new MappingReader(context, node, path);
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{(path.Length == 0 ? "top level" : path)}: expected a mapping, got {ScalarText.Describe(node)}");
            return reader;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } name } scalarKey)
            {
                reader._entries.Add((name, scalarKey, value));
            }
            else
            {
                context.Error(key, $"{(path.Length == 0 ? "top level" : path)}: keys must be plain names, got {ScalarText.Describe(key)}");
            }
        }

        return reader;
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The value node of <paramref name="key"/> (null when absent), marking the key as known.</summary>
    public YamlNode? Value(string key)
    {
        _known.Add(key);
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>True when the key is present with a non-empty value.</summary>
    public bool IsSet(string key) => Value(key) is { } node && !IsEmpty(node);

    public void Error(YamlNode? node, string key, string message) => _context.Error(node ?? Node, $"{PathOf(key)}: {message}");

    public string? String(string key) => TryScalar(key, "a string", out _, out var text) ? text : null;

    public string String(string key, string defaultValue) => String(key) ?? defaultValue;

    public bool Bool(string key, bool defaultValue)
    {
        if (!TryScalar(key, "a boolean (yes/no/true/false)", out var node, out var text))
        {
            return defaultValue;
        }

        if (ScalarText.TryBool(text, out var value))
        {
            return value;
        }

        Error(node, key, $"expected a boolean (yes/no/true/false), got '{text}'");
        return defaultValue;
    }

    public int Int(string key, int defaultValue, int min = 0, int max = int.MaxValue)
    {
        if (!TryScalar(key, "an integer", out var node, out var text))
        {
            return defaultValue;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            Error(node, key, $"expected an integer, got '{text}'");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            Error(node, key, $"{value} is out of range ({min} to {max})");
            return defaultValue;
        }

        return (int)value;
    }

    public TimeSpan Duration(string key, TimeSpan defaultValue)
    {
        if (!TryScalar(key, "a duration", out var node, out var text))
        {
            return defaultValue;
        }

        if (!GoDuration.TryParse(text, out var value, out var error))
        {
            Error(node, key, $"expected a duration such as 30s, 1m30s or 12h, got '{text}': {error}");
            return defaultValue;
        }

        if (value < TimeSpan.Zero)
        {
            Error(node, key, $"duration '{text}' must not be negative");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A listen address; a bare host takes the port of <paramref name="defaultValue"/>.</summary>
    public NetAddress Address(string key, NetAddress defaultValue) => OptionalAddress(key, defaultValue.Port) ?? defaultValue;

    public NetAddress? OptionalAddress(string key, int? defaultPort)
    {
        if (!TryScalar(key, "an address (host:port)", out var node, out var text))
        {
            return null;
        }

        return ParseAddress(node, PathOf(key), text, defaultPort);
    }

    /// <summary>A single address or a list of them (Teleport accepts both for public_addr and friends).</summary>
    public IReadOnlyList<NetAddress> Addresses(string key, int? defaultPort) =>
        ScalarOrList(key, "an address (host:port)")
            .Select(item => ParseAddress(item.Node, item.Path, item.Text, defaultPort))
            .OfType<NetAddress>()
            .ToList();

    /// <summary>A single string or a list of strings.</summary>
    public IReadOnlyList<string> Strings(string key) => ScalarOrList(key, "a string").Select(item => item.Text).ToList();

    public T Enum<T>(string key, EnumNames<T> names, T defaultValue)
        where T : struct, System.Enum
    {
        if (!TryScalar(key, $"one of {names.Choices}", out var node, out var text))
        {
            return defaultValue;
        }

        if (names.TryParse(text, out var value))
        {
            return value;
        }

        Error(node, key, $"expected one of {names.Choices}, got '{text}'");
        return defaultValue;
    }

    /// <summary>One enumerated value or a list of them.</summary>
    public IReadOnlyList<T> EnumList<T>(string key, EnumNames<T> names)
        where T : struct, System.Enum
    {
        var result = new List<T>();
        foreach (var (node, path, text) in ScalarOrList(key, $"one of {names.Choices}"))
        {
            if (names.TryParse(text, out var value))
            {
                result.Add(value);
            }
            else
            {
                _context.Error(node, $"{path}: expected one of {names.Choices}, got '{text}'");
            }
        }

        return result;
    }

    /// <summary>A string that must be one of <paramref name="choices"/> (compared ignoring case, returned lower-case).</summary>
    public string Choice(string key, IReadOnlyCollection<string> choices, string defaultValue)
    {
        if (!TryScalar(key, $"one of {string.Join('|', choices)}", out var node, out var text))
        {
            return defaultValue;
        }

        var match = choices.FirstOrDefault(c => c.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(node, key, $"expected one of {string.Join('|', choices)}, got '{text}'");
            return defaultValue;
        }

        return match;
    }

    /// <summary>A nested section; absent or empty (only a comment under it) gives an empty reader, i.e. defaults.</summary>
    public MappingReader Mapping(string key) => Create(_context, Value(key), PathOf(key));

    /// <summary>The items of a list, each with its path ("commands[0]").</summary>
    public IReadOnlyList<(YamlNode Node, string Path)> Items(string key)
    {
        var node = Value(key);
        if (node is null || ScalarText.IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, key, $"expected a list, got {ScalarText.Describe(node)}");
            return [];
        }

        return sequence.Children.Select((item, i) => (item, $"{PathOf(key)}[{i}]")).ToList();
    }

    /// <summary>A map of plain strings, e.g. labels.</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var map = Mapping(key);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _, value) in map._entries)
        {
            if (value is YamlScalarNode scalar)
            {
                result[name] = ScalarText.IsNull(scalar) ? "" : scalar.Value ?? "";
            }
            else
            {
                map.Error(value, name, $"expected a string, got {ScalarText.Describe(value)}");
            }
        }

        return result;
    }

    /// <summary>Entries no getter has asked for yet (for sections that pass unknown keys through).</summary>
    public IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> UnreadEntries() =>
        _entries.Where(e => !_known.Contains(e.Key)).ToList();

    /// <summary>Reports each key that no getter asked for, with a "did you mean" hint for near misses.</summary>
    public void CheckUnknownKeys(Func<string, string?>? explain = null)
    {
        foreach (var (key, keyNode, _) in UnreadEntries())
        {
            var where = Path.Length == 0 ? "at the top level" : $"in {Path}";
            var message = explain?.Invoke(key) ?? $"unknown key '{key}' {where}";
            if (ScalarText.Suggest(key, _known) is { } suggestion)
            {
                message += $" (did you mean '{suggestion}'?)";
            }

            _context.Error(keyNode, message);
        }
    }

    private static bool IsEmpty(YamlNode node) =>
        ScalarText.IsNull(node) || node is YamlScalarNode { Value: null or "" };

    private bool TryScalar(string key, string expected, out YamlNode node, out string text)
    {
        node = null!;
        text = "";
        if (Value(key) is not { } value || IsEmpty(value))
        {
            return false;
        }

        node = value;
        if (value is YamlScalarNode scalar)
        {
            text = scalar.Value ?? "";
            return true;
        }

        Error(value, key, $"expected {expected}, got {ScalarText.Describe(value)}");
        return false;
    }

    private List<(YamlNode Node, string Path, string Text)> ScalarOrList(string key, string expected)
    {
        var result = new List<(YamlNode, string, string)>();
        if (Value(key) is not { } value || IsEmpty(value))
        {
            return result;
        }

        switch (value)
        {
            case YamlScalarNode scalar:
                result.Add((scalar, PathOf(key), scalar.Value ?? ""));
                break;
            case YamlSequenceNode sequence:
                var i = 0;
                foreach (var item in sequence.Children)
                {
                    var path = $"{PathOf(key)}[{i++}]";
                    if (item is YamlScalarNode itemScalar)
                    {
                        if (!IsEmpty(itemScalar))
                        {
                            result.Add((itemScalar, path, itemScalar.Value ?? ""));
                        }
                    }
                    else
                    {
                        _context.Error(item, $"{path}: expected {expected}, got {ScalarText.Describe(item)}");
                    }
                }

                break;
            default:
                Error(value, key, $"expected {expected} or a list of them, got {ScalarText.Describe(value)}");
                break;
        }

        return result;
    }

    private NetAddress? ParseAddress(YamlNode node, string path, string text, int? defaultPort)
    {
        if (NetAddress.TryParseCore(text, defaultPort, out var address, out var error))
        {
            return address;
        }

        _context.Error(node, $"{path}: expected an address (host:port), got '{text}': {error}");
        return null;
    }
}
