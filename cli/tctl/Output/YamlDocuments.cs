namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Joins YAML streams into one, separated by "---" as tctl get prints several resources.</summary>
internal static class YamlDocuments
{
    public static string Join(IEnumerable<string> streams)
    {
        var parts = streams
            .Select(s => s.ReplaceLineEndings("\n").Trim('\n'))
            .Select(s => s.StartsWith("---\n", StringComparison.Ordinal) ? s[4..] : s)
            .Where(s => s.Trim().Length > 0)
            .ToList();
        return parts.Count == 0 ? "" : string.Join("\n---\n", parts) + "\n";
    }
}
