namespace Teleport.Orleans.Configuration;

/// <summary>
/// The YAML spellings of an enum. The first name given for a value is the canonical one (shown in errors and
/// written back); later ones are accepted aliases. Matching ignores case, as Teleport's does.
/// </summary>
internal sealed class EnumNames<T>(params (string Name, T Value)[] names)
    where T : struct, Enum
{
    private readonly (string Name, T Value)[] _names = names;

    /// <summary>The canonical names, "a|b|c", for error messages.</summary>
    public string Choices => string.Join('|', _names.DistinctBy(n => n.Value).Select(n => n.Name));

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, candidate) in _names)
        {
            if (name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string NameOf(T value) => _names.First(n => EqualityComparer<T>.Default.Equals(n.Value, value)).Name;
}
