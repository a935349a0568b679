using System.CommandLine;

namespace Teleport.Orleans.Cli.Tctl.Parsing;

/// <summary>Builders for the option shapes tctl uses: Teleport-style comma lists and Go durations.</summary>
internal static class Options
{
    /// <summary>A comma-separated list (--roles=a,b), also accepted as repeated flags (--roles a --roles b).</summary>
    public static Option<string[]> List(string name, string description, bool required = false)
    {
        var option = new Option<string[]>(name)
        {
            Description = description,
            Required = required,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result => SplitList(result.Tokens.Select(t => t.Value)),
        };
        if (!required)
        {
            option.DefaultValueFactory = _ => [];
        }

        return option;
    }

    public static string[] SplitList(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    public static DurationOption Duration(string name, string description, TimeSpan defaultValue) => new(name, description, defaultValue);

    /// <summary>One of a fixed set of words, matched case-insensitively and returned lower-case.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = $"{description}: {string.Join(", ", choices)}",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim().ToLowerInvariant() : defaultValue;
                if (!choices.Contains(text))
                {
                    result.AddError($"{name}: \"{text}\" is not one of {string.Join(", ", choices)}");
                }

                return text;
            },
        };
        return option;
    }
}
