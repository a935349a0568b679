using System.Text;

namespace Teleport.Orleans.AuthClient;

/// <summary>One PEM block ("-----BEGIN LABEL-----" … "-----END LABEL-----") kept as its normalized text.</summary>
internal sealed record PemBlock(string Label, string Text)
{
    private const string BeginPrefix = "-----BEGIN ";
    private const string EndPrefix = "-----END ";
    private const string Dashes = "-----";

    /// <summary>Reads a PEM block whose BEGIN line is <paramref name="lines"/>[<paramref name="index"/>]; advances past its END line.</summary>
    public static PemBlock ReadAt(IReadOnlyList<string> lines, ref int index)
    {
        var label = LabelOf(lines[index], BeginPrefix)
            ?? throw new FormatException($"line {index + 1} is not a PEM BEGIN line");
        var text = new StringBuilder().Append(lines[index].Trim()).Append('\n');
        var start = index;
        for (index++; index < lines.Count; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            text.Append(line).Append('\n');
            if (LabelOf(line, EndPrefix) is { } end)
            {
                if (end != label)
                {
                    throw new FormatException($"PEM block \"{label}\" starting at line {start + 1} ends with \"{end}\"");
                }

                index++;
                var block = new PemBlock(label, text.ToString());
                block.Validate();
                return block;
            }

            if (line.StartsWith(BeginPrefix, StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new FormatException($"PEM block \"{label}\" starting at line {start + 1} has no END line");
    }

    public static bool IsBeginLine(string line) => LabelOf(line, BeginPrefix) is not null;

    /// <summary>Every PEM block in <paramref name="text"/>, ignoring anything between blocks.</summary>
    public static IReadOnlyList<PemBlock> ReadAll(string text)
    {
        var lines = SplitLines(text);
        var blocks = new List<PemBlock>();
        for (var i = 0; i < lines.Length;)
        {
            if (IsBeginLine(lines[i]))
            {
                blocks.Add(ReadAt(lines, ref i));
            }
            else
            {
                i++;
            }
        }

        return blocks;
    }

    public static string[] SplitLines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>Normalizes PEM text to LF line endings and exactly one trailing newline.</summary>
    public static string Normalize(string pem) => pem.ReplaceLineEndings("\n").Trim() + "\n";

    private void Validate()
    {
        var lines = Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The body may carry RFC 1421 headers (Proc-Type, DEK-Info) before a blank line; skip those lines.
        var body = string.Concat(lines[1..^1].Where(l => !l.Contains(':')));
        var buffer = new byte[body.Length];
        if (!Convert.TryFromBase64String(body, buffer, out _))
        {
            throw new FormatException($"PEM block \"{Label}\" is not valid base64");
        }
    }

    private static string? LabelOf(string line, string prefix)
    {
        line = line.Trim();
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || !line.EndsWith(Dashes, StringComparison.Ordinal)
            || line.Length < prefix.Length + Dashes.Length)
        {
            return null;
        }

        return line[prefix.Length..^Dashes.Length];
    }
}
