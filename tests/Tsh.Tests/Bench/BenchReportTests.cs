using Teleport.Orleans.Cli.Tsh.Bench;

namespace Teleport.Orleans.Tsh.Tests.Bench;

public sealed class BenchReportTests
{
    [Fact]
    public void The_report_gives_the_counts_the_failure_reasons_and_a_row_per_percentile()
    {
        var schedule = new BenchSchedule(10, TimeSpan.FromSeconds(1));
        var result = new BenchResult();
        for (var i = 0; i < 10; i++)
        {
            result.Started(TimeSpan.FromMilliseconds(100 * i), TimeSpan.FromMilliseconds((100 * i) + 2));
            if (i < 8)
            {
                result.Succeeded(TimeSpan.FromMilliseconds(40 + i));
            }
            else
            {
                result.FailedWith(TimeSpan.FromMilliseconds(900), "Cannot connect to the proxy at 127.0.0.1:3023: Connection refused");
            }
        }

        var output = new StringWriter();
        BenchReport.Write(output, schedule, result);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();

        Assert.Contains("* Requests originated: 10", lines);
        Assert.Contains("* Requests failed: 2", lines);
        Assert.Contains("* Sessions started per second: 10.0 (asked 10; starts ran late by up to 2.0 ms)", lines);
        Assert.Contains(lines, l => l.Contains('2') && l.Contains("Cannot connect to the proxy at 127.0.0.1:3023: Connection refused", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Percentile", StringComparison.Ordinal) && l.Contains("Response Duration", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("50 ", StringComparison.Ordinal) && l.EndsWith("44 ms", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("99.9 ", StringComparison.Ordinal) && l.EndsWith("900 ms", StringComparison.Ordinal));
    }
}
