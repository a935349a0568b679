using System.Text;
using ConsoleTables;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>
/// tsh's tables in Teleport's plain look: the headers, a dashed line, a row per item, each column as wide as its widest
/// cell in terminal cells (wide characters count two), no frame and no trailing blanks. ConsoleTables lays them out:
/// `tsh ls` on a cluster of 10,000 nodes is a 10,000-row table, which it renders in 70-110 ms natively where
/// Spectre.Console's Table took 580-660 ms (docs/performance.md, session 15).
/// </summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        // No wrapping (ConsoleTables wraps cells at 40 cells by default): a row stays one line for grep and scripts.
        var table = new ConsoleTable(new ConsoleTableOptions { Columns = headers, EnableCount = false }) { MaxWidth = int.MaxValue };
        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(Flatten)]);
        }

        // One write of the whole table: the console writer flushes on every call, a system call per line otherwise.
        var text = new StringBuilder();
        foreach (var line in table.ToMinimalString().AsSpan().TrimEnd().EnumerateLines())
        {
            text.Append(line.TrimEnd()).Append('\n');
        }

        output.Write(text);
        output.Flush();
    }

    /// <summary>A cell on one line: a newline in a value (a label, a reason) would break the row apart.</summary>
    private static string Flatten(string cell) => cell.Contains('\n', StringComparison.Ordinal) || cell.Contains('\r', StringComparison.Ordinal)
        ? cell.ReplaceLineEndings(" ")
        : cell;
}
