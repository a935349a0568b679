using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Node labels as tctl shows and takes them: "key=value,key2=value2".</summary>
internal static class LabelText
{
    public static string Format(Node node)
    {
        var labels = new SortedDictionary<string, string>(node.Labels, StringComparer.Ordinal);
        foreach (var (key, label) in node.CmdLabels)
        {
            labels[key] = label.Result;
        }

        return string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
    }

    public static IEnumerable<(string Key, string Value)> Parse(string text)
    {
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                throw new TctlException($"invalid label \"{pair}\": expected key=value");
            }

            yield return (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
        }
    }
}
