using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration;

/// <summary>YAML scalar conventions the reader relies on (we read raw text, so YAML 1.1 "on"/"off" stay strings).</summary>
internal static class ScalarText
{
    private const string NullTag = "tag:yaml.org,2002:null";

    /// <summary>A plain <c>~</c>, <c>null</c> or nothing at all: "key:" with no value means "use the default".</summary>
    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar
        && ((!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == NullTag)
            || (scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                && (scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific)
                && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    /// <summary>Teleport's boolean spellings; Teleport itself treats anything else as false, we refuse it.</summary>
    public static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "yes" or "y" or "true" or "on" or "1":
                value = true;
                return true;
            case "no" or "n" or "false" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "an empty value",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an unexpected node",
    };

    /// <summary>Edit distance, for "did you mean" hints on misspelled keys.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The closest of <paramref name="candidates"/> if it is near enough to be a typo, else null.</summary>
    public static string? Suggest(string key, IEnumerable<string> candidates)
    {
        var limit = key.Length <= 4 ? 1 : 2;
        return candidates
            .Select(c => (Name: c, Distance: Distance(key, c)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }
}
