using Spectre.Console;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Renders text tables with Spectre.Console in Teleport's plain style, never wrapping cells.</summary>
internal static class TableWriter
{
    // Wide enough that long tokens and labels never wrap: output is usually read by scripts or a wide terminal.
    private const int RenderWidth = 4096;

    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table { Border = new DashedTableBorder(), Expand = false };
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)) { Padding = new Padding(0, 0, 0, 0), NoWrap = true });
        }

        foreach (var row in rows)
        {
            table.AddRow(headers.Select((_, i) => new Text(i < row.Count ? row[i] : "")));
        }

        using var buffer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(buffer),
        });
        console.Profile.Width = RenderWidth;
        console.Write(table);

        // Spectre pads the last column; strip that so output diffs and greps cleanly.
        foreach (var line in buffer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            output.WriteLine(line.TrimEnd());
        }
    }

    /// <summary>Aligned "key  value" lines, as tctl status prints them.</summary>
    public static void WriteKeyValues(TextWriter output, IEnumerable<(string Key, string Value)> pairs)
    {
        var list = pairs.ToList();
        var width = list.Count == 0 ? 0 : list.Max(p => p.Key.Length);
        foreach (var (key, value) in list)
        {
            output.WriteLine($"{key.PadRight(width)}  {value}".TrimEnd());
        }
    }
}
