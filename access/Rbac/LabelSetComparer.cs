namespace Teleport.Orleans.Access.Rbac;

/// <summary>
/// Compares label sets by content (same keys with the same values, in any order), so that access decisions can be
/// remembered per distinct label set: thousands of nodes usually share a handful of label sets.
/// </summary>
public sealed class LabelSetComparer : IEqualityComparer<IReadOnlyDictionary<string, string>>
{
    public static readonly LabelSetComparer Instance = new();

    private LabelSetComparer()
    {
    }

    public bool Equals(IReadOnlyDictionary<string, string>? x, IReadOnlyDictionary<string, string>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        foreach (var (key, value) in x)
        {
            if (!y.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);

        // Order-independent: the sum of each pair's hash.
        var hash = labels.Count;
        foreach (var (key, value) in labels)
        {
            hash += HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), StringComparer.Ordinal.GetHashCode(value));
        }

        return hash;
    }
}
