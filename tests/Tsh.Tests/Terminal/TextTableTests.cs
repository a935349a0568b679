using Teleport.Orleans.Cli.Terminal;

namespace Teleport.Orleans.Cli.Tsh.Tests.Terminal;

/// <summary>tsh's tables: Teleport's plain look, columns aligned in terminal cells, nothing that breaks a row apart.</summary>
public sealed class TextTableTests
{
    [Fact]
    public void Table_has_the_headers_a_dashed_line_and_one_aligned_row_per_item()
    {
        var lines = Render(["Node Name", "Address", "Labels"], [["web-1", "10.0.0.1:3022", "env=prod"], ["db", "⟵ Tunnel", ""]]);

        // Teleport's asciitable: one space between columns, a run of dashes under each as wide as the column.
        Assert.Equal(4, lines.Length);
        Assert.Equal("Node Name Address       Labels", lines[0]);
        Assert.Equal("--------- ------------- --------", lines[1]);
        Assert.Equal("web-1     10.0.0.1:3022 env=prod", lines[2]);
        Assert.Equal("db        ⟵ Tunnel", lines[3]);
        Assert.Equal(lines[0].IndexOf("Address", StringComparison.Ordinal), lines[2].IndexOf("10.0.0.1:3022", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("Labels", StringComparison.Ordinal), lines[2].IndexOf("env=prod", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("Address", StringComparison.Ordinal), lines[3].IndexOf("⟵ Tunnel", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Equal(line.TrimEnd(), line));
    }

    [Fact]
    public void Wide_characters_take_two_cells_so_the_next_column_still_lines_up()
    {
        var lines = Render(["Host", "Address"], [["東京-1", "10.0.0.1:22"], ["osaka-22", "10.0.0.2:22"]]);

        // 東 and 京 are two cells each: "東京-1" is as wide on screen as "osaka-", so the addresses start 2 chars apart.
        Assert.Equal(lines[3].IndexOf("10.0.0.2", StringComparison.Ordinal) - 2, lines[2].IndexOf("10.0.0.1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_with_a_newline_stays_on_its_row()
    {
        var lines = Render(["Count", "Reason"], [["2", "connection refused\nby 10.0.0.1"]]);

        Assert.Equal(3, lines.Length);
        Assert.Contains("connection refused by 10.0.0.1", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_value_is_never_wrapped()
    {
        var labels = string.Join(",", Enumerable.Range(0, 20).Select(i => $"label{i}=value{i}"));

        var lines = Render(["Node Name", "Labels"], [["web-1", labels]]);

        Assert.Equal(3, lines.Length);
        Assert.EndsWith(labels, lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_rows_still_names_its_columns()
    {
        var lines = Render(["ID", "Type"], []);

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("Type", lines[0], StringComparison.Ordinal);
    }

    private static string[] Render(string[] headers, string[][] rows)
    {
        using var output = new StringWriter();
        TextTable.Write(output, headers, rows);
        var text = output.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.TrimEnd('\n').Split('\n');
    }
}
