using System.Text.RegularExpressions;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>Refuses roles that could never work as written, so mistakes surface when a role is saved rather than at login.</summary>
public static partial class RoleValidator
{
    internal static readonly string[] KnownVerbs = ["*", "create", "delete", "list", "read", "readnosecrets", "update"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem found in <paramref name="role"/>.</summary>
    public static void Validate(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var error = NameError(role.Name, "metadata.name")
            ?? OptionsError(role.Options, "options")
            ?? ConditionsError(role.Allow, "allow")
            ?? ConditionsError(role.Deny, "deny");
        if (error is not null)
        {
            throw new ArgumentException($"role '{role.Name}': {error}");
        }
    }

    internal static string? NameError(string? name, string where)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{where} is required";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"invalid name '{name}' in {where}: use letters, digits, '-', '_', '.' or '@', starting with a letter or digit (at most 253)";
    }

    internal static string? MaxSessionTtlError(TimeSpan? ttl, string where) =>
        ttl < TimeSpan.Zero ? $"{where} must not be negative" : null;

    internal static string? ClientIdleTimeoutError(TimeSpan? timeout, string where) =>
        timeout < TimeSpan.Zero ? $"{where} must not be negative" : null;

    internal static string? LoginError(string login, string where)
    {
        if (RoleTemplate.IsTemplate(login))
        {
            return RoleTemplate.TryParse(login, out var error) is null ? $"bad login template '{login}' in {where}: {error}" : null;
        }

        if (login == LabelMatcher.Wildcard)
        {
            return $"wildcard '*' is not allowed in {where}";
        }

        return UnixLogin.IsValid(login) ? null : $"invalid login '{login}' in {where}: not a valid Unix user name";
    }

    internal static string? LabelKeyError(string key, IEnumerable<string> values, string where)
    {
        if (string.IsNullOrEmpty(key))
        {
            return $"empty label key in {where}";
        }

        if (RoleTemplate.IsTemplate(key) && RoleTemplate.TryParse(key, out var templateError) is null)
        {
            return $"bad label template '{key}' in {where}: {templateError}";
        }

        // Teleport: a wildcard key only makes sense with a wildcard value.
        return key == LabelMatcher.Wildcard && values.Any(v => v != LabelMatcher.Wildcard)
            ? $"label key '*' in {where} only accepts the value '*'"
            : null;
    }

    internal static string? LabelValueError(string value, string where)
    {
        if (RoleTemplate.IsTemplate(value))
        {
            return RoleTemplate.TryParse(value, out var templateError) is null ? $"bad label template '{value}' in {where}: {templateError}" : null;
        }

        if (!LabelMatcher.IsRegex(value))
        {
            // A leading '^' without the closing '$' is almost certainly a regex with a typo, not a literal value.
            return value.StartsWith('^') ? $"invalid regex '{value}' in {where}: a regex must start with '^' and end with '$'" : null;
        }

        return LabelMatcher.TryCompile(value, out var error) is null ? $"invalid regex '{value}' in {where}: {error}" : null;
    }

    internal static string? VerbError(string verb, string where) =>
        KnownVerbs.Contains(verb, StringComparer.Ordinal) ? null : $"unknown verb '{verb}' in {where} (known: {string.Join(", ", KnownVerbs)})";

    internal static string? ResourceError(string resource, string where) =>
        string.IsNullOrWhiteSpace(resource) ? $"empty resource in {where}" : null;

    private static string? OptionsError(RoleOptions options, string where) =>
        MaxSessionTtlError(options.MaxSessionTtl, $"{where}.max_session_ttl")
        ?? ClientIdleTimeoutError(options.ClientIdleTimeout, $"{where}.client_idle_timeout");

    private static string? LabelsError(Dictionary<string, string[]> labels, string where)
    {
        foreach (var (key, values) in labels)
        {
            if (LabelKeyError(key, values, where) is { } keyError)
            {
                return keyError;
            }

            foreach (var value in values)
            {
                if (LabelValueError(value, $"{where}.{key}") is { } error)
                {
                    return error;
                }
            }
        }

        return null;
    }

    private static string? ConditionsError(RoleConditions conditions, string where)
    {
        foreach (var login in conditions.Logins)
        {
            if (LoginError(login, $"{where}.logins") is { } error)
            {
                return error;
            }
        }

        if ((LabelsError(conditions.NodeLabels, $"{where}.node_labels") ?? LabelsError(conditions.AppLabels, $"{where}.app_labels")) is { } labelsError)
        {
            return labelsError;
        }

        for (var i = 0; i < conditions.Rules.Length; i++)
        {
            if (RuleError(conditions.Rules[i], $"{where}.rules[{i}]") is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? RuleError(RoleRule rule, string where)
    {
        if (rule.Resources.Length == 0)
        {
            return $"{where}.resources must name at least one resource";
        }

        if (rule.Verbs.Length == 0)
        {
            return $"{where}.verbs must name at least one verb";
        }

        return rule.Resources.Select(r => ResourceError(r, $"{where}.resources")).FirstOrDefault(e => e is not null)
            ?? rule.Verbs.Select(v => VerbError(v, $"{where}.verbs")).FirstOrDefault(e => e is not null);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.@-]{0,252}$")]
    private static partial Regex NamePattern();
}
