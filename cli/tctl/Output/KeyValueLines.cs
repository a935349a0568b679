namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Aligned "key  value" lines, as tctl status prints them.</summary>
internal static class KeyValueLines
{
    public static void Write(TextWriter output, IEnumerable<(string Key, string Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Count == 0 ? 0 : list.Max(p => p.Key.Length);
        foreach (var (key, value) in list)
        {
            output.WriteLine($"{key.PadRight(width)}  {value}".TrimEnd());
        }
    }
}
