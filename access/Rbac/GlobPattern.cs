namespace Teleport.Orleans.Access.Rbac;

/// <summary>Glob matching with <c>*</c> (any run) and <c>?</c> (one character), without regexes so it cannot blow up.</summary>
internal static class GlobPattern
{
    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool Matches(string pattern, string value)
    {
        int p = 0, v = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                // Remember the star and first try to match it with nothing.
                starP = p++;
                starV = v;
            }
            else if (starP >= 0)
            {
                // Let the last star swallow one more character and retry.
                p = starP + 1;
                v = ++starV;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
