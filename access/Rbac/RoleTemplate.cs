using System.Text.RegularExpressions;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>
/// A value with one trait expression, such as <c>{{internal.logins}}</c> or <c>admin-{{external["groups"]}}</c>.
/// Teleport's template functions (<c>email.local()</c>, <c>regexp.replace()</c>) are not supported.
/// </summary>
internal sealed partial record RoleTemplate(string Prefix, string Namespace, string Trait, string Suffix)
{
    public static bool IsTemplate(string value) => value.Contains("{{", StringComparison.Ordinal) || value.Contains("}}", StringComparison.Ordinal);

    /// <summary>Parses a value that <see cref="IsTemplate"/> says is a template, or explains what is wrong with it.</summary>
    public static RoleTemplate? TryParse(string value, out string? error)
    {
        error = null;
        var open = value.IndexOf("{{", StringComparison.Ordinal);
        var close = value.IndexOf("}}", StringComparison.Ordinal);
        if (open < 0 || close < open)
        {
            error = open < 0 ? "missing opening '{{'" : "missing closing '}}'";
            return null;
        }

        var suffix = value[(close + 2)..];
        if (suffix.Contains("{{", StringComparison.Ordinal) || suffix.Contains("}}", StringComparison.Ordinal))
        {
            error = "only one {{...}} expression is allowed";
            return null;
        }

        var expression = value[(open + 2)..close].Trim();
        if (expression.Contains('('))
        {
            error = $"template functions are not supported in '{expression}'";
            return null;
        }

        var match = ExpressionPattern().Match(expression);
        if (!match.Success)
        {
            error = $"'{expression}' is not internal.<trait> or external.<trait>";
            return null;
        }

        var trait = match.Groups["dotted"].Success ? match.Groups["dotted"].Value : match.Groups["quoted"].Value;
        return new RoleTemplate(value[..open], match.Groups["ns"].Value, trait, suffix);
    }

    /// <summary>
    /// The values a template stands for with these traits. A plain value stands for itself; a template whose trait is
    /// missing or which cannot be parsed stands for nothing, as in Teleport.
    /// </summary>
    public static IEnumerable<string> Expand(string value, IReadOnlyDictionary<string, string[]> traits)
    {
        if (!IsTemplate(value))
        {
            return [value];
        }

        var template = TryParse(value, out _);
        if (template is null || !traits.TryGetValue(template.Trait, out var values))
        {
            return [];
        }

        // Both namespaces read the same traits: local users' traits are internal, SSO users' are external.
        return values.Select(v => template.Prefix + v + template.Suffix);
    }

    [GeneratedRegex("""^(?<ns>internal|external)(\.(?<dotted>[A-Za-z0-9_][A-Za-z0-9_.:/-]*)|\[\s*"(?<quoted>[^"]+)"\s*\])$""")]
    private static partial Regex ExpressionPattern();
}
