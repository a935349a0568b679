using System.Text;
using Wcwidth;

namespace Teleport.Orleans.Cli.Terminal;

/// <summary>
/// tsh's and tctl's tables in Teleport's look (its asciitable): the headers, a line of dashes under each, a row per item, columns
/// one space apart and as wide as their widest cell in terminal cells, no frame, no trailing blanks, never wrapped.
/// </summary>
/// <remarks>
/// The layout is done here and the cell widths by Wcwidth (wide characters take two cells, combining marks none).
/// `tsh ls` on a cluster of 10,000 nodes is a 10,000-row table: ConsoleTables took ~45 % of the native program's CPU on
/// it (a format string per row, the whole table as one string twice) and Spectre.Console's Table 580-660 ms
/// (docs/performance.md, sessions 15 and 16), and tctl's Spectre.Console table took 1.9 s for `tctl nodes ls`; padding
/// the cells takes a few milliseconds.
/// </remarks>
public static class TextTable
{
    // The text goes out in pieces of about this many characters: the console writer flushes on every write, so a
    // write per line would be a system call per line, and the whole table at once a second copy of it.
    private const int ChunkChars = 64 * 1024;

    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select(CellWidth).ToArray();
        var table = new List<string[]>();
        foreach (var row in rows)
        {
            var cells = new string[headers.Count];
            for (var column = 0; column < cells.Length; column++)
            {
                cells[column] = column < row.Count ? Flatten(row[column]) : "";
                widths[column] = Math.Max(widths[column], CellWidth(cells[column]));
            }

            table.Add(cells);
        }

        var text = new StringBuilder(ChunkChars + 4096);
        AppendRow(text, headers, widths);
        for (var column = 0; column < widths.Length; column++)
        {
            text.Append(column == 0 ? "" : " ").Append('-', widths[column]);
        }

        text.Append('\n');
        foreach (var cells in table)
        {
            AppendRow(text, cells, widths);
            if (text.Length >= ChunkChars)
            {
                output.Write(text);
                text.Clear();
            }
        }

        output.Write(text);
        output.Flush();
    }

    /// <summary>How many terminal cells <paramref name="cell"/> takes.</summary>
    public static int CellWidth(string cell)
    {
        // Printable ASCII (nearly every cell) is one cell per character.
        if (!cell.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return cell.Length;
        }

        var width = 0;
        foreach (var rune in cell.EnumerateRunes())
        {
            // Control characters (-1) take no cell of their own.
            width += Math.Max(0, UnicodeCalculator.GetWidth(rune));
        }

        return width;
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var start = text.Length;
        for (var column = 0; column < cells.Count; column++)
        {
            if (column > 0)
            {
                text.Append(' ');
            }

            text.Append(cells[column]);
            if (column < cells.Count - 1)
            {
                text.Append(' ', widths[column] - CellWidth(cells[column]));
            }
        }

        // Empty cells at the end of a row leave only padding there.
        var end = text.Length;
        while (end > start && text[end - 1] == ' ')
        {
            end--;
        }

        text.Length = end;
        text.Append('\n');
    }

    /// <summary>A cell on one line: a newline in a value (a label, a reason) would break the row apart.</summary>
    private static string Flatten(string cell) => cell.Contains('\n', StringComparison.Ordinal) || cell.Contains('\r', StringComparison.Ordinal)
        ? cell.ReplaceLineEndings(" ")
        : cell;
}
