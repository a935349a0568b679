using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Teleport.Orleans.Access.Rbac;

/// <summary>Matches a role's <c>node_labels</c> against a node's labels, the way Teleport does.</summary>
internal static class LabelMatcher
{
    public const string Wildcard = "*";

    // Bounds the time an adversarial pattern or label can cost one check.
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromMilliseconds(100);
    private const int MaxCachedRegexes = 1024;
    private static readonly ConcurrentDictionary<string, Regex> s_regexes = new(StringComparer.Ordinal);

    public static bool IsRegex(string value) => value.Length >= 2 && value[0] == '^' && value[^1] == '$';

    /// <summary>Builds the regex for a <c>^...$</c> value, or returns why it is not acceptable.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        if (s_regexes.TryGetValue(pattern, out var cached))
        {
            error = null;
            return cached;
        }

        try
        {
            // NonBacktracking gives RE2-like semantics (Teleport's regexps are Go's RE2) and linear-time matching.
            var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, s_matchTimeout);
            if (s_regexes.Count >= MaxCachedRegexes)
            {
                s_regexes.Clear();
            }

            s_regexes.TryAdd(pattern, regex);
            error = null;
            return regex;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Whether one selector value accepts one label value; <paramref name="onFailure"/> is the answer when it cannot be decided.</summary>
    public static bool ValueMatches(string pattern, string value, bool onFailure)
    {
        if (pattern == Wildcard)
        {
            return true;
        }

        if (IsRegex(pattern))
        {
            var regex = TryCompile(pattern, out _);
            if (regex is null)
            {
                return onFailure;
            }

            try
            {
                return regex.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                return onFailure;
            }
        }

        return GlobPattern.IsGlob(pattern) ? GlobPattern.Matches(pattern, value) : string.Equals(pattern, value, StringComparison.Ordinal);
    }

    /// <summary>allow semantics: every key of the selector must match; an empty selector matches nothing.</summary>
    public static bool MatchesAll(IReadOnlyDictionary<string, string[]> selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector.Count == 0)
        {
            return false;
        }

        foreach (var (key, values) in selector)
        {
            // An undecidable allow value (bad regex, timeout) must not grant access.
            if (!KeyMatches(key, values, labels, onFailure: false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>deny semantics: the first key of the selector that matches, or null.</summary>
    public static string? FirstMatchingKey(IReadOnlyDictionary<string, string[]> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, values) in selector)
        {
            // An undecidable deny value fails closed.
            if (KeyMatches(key, values, labels, onFailure: true))
            {
                return key;
            }
        }

        return null;
    }

    private static bool KeyMatches(string key, string[] values, IReadOnlyDictionary<string, string> labels, bool onFailure)
    {
        if (key == Wildcard)
        {
            // '*': '*' selects every node, even one without labels.
            return values.Contains(Wildcard);
        }

        if (!labels.TryGetValue(key, out var actual))
        {
            return false;
        }

        foreach (var pattern in values)
        {
            if (ValueMatches(pattern, actual, onFailure))
            {
                return true;
            }
        }

        return false;
    }
}
