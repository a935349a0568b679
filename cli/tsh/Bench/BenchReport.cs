using System.Globalization;
using Teleport.Orleans.Cli.Terminal;

namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>
/// Prints a run as Teleport's tsh bench does (requests originated and failed, then the latency histogram as a table of
/// percentiles), with the rate achieved and each failure reason with its count.
/// </summary>
internal static class BenchReport
{
    /// <summary>The percentiles printed: Teleport's, with p99.9 (100 is the slowest session).</summary>
    public static readonly double[] Percentiles = [25, 50, 75, 90, 95, 99, 99.9, 100];

    public static void Write(TextWriter output, BenchSchedule schedule, BenchResult result)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"* Requests originated: {result.Originated}"));
        output.WriteLine(Invariant($"* Requests failed: {result.Failed}"));
        output.WriteLine(Invariant(
            $"* Sessions started per second: {result.AchievedRate:0.0} (asked {schedule.Rate:0.##}; starts ran late by up to {Milliseconds(result.MaxStartLag)})"));
        output.WriteLine(Invariant($"* Run took: {result.Elapsed.TotalSeconds:0.0} s (the last start at {result.StartSpan.TotalSeconds:0.0} s)"));
        var failures = result.Failures();
        if (failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Failures");
            output.WriteLine();
            TextTable.Write(output, ["Count", "Reason"],
                failures.Select(failure => (IReadOnlyList<string>)[failure.Value.ToString(CultureInfo.InvariantCulture), failure.Key]));
        }

        output.WriteLine();
        output.WriteLine("Histogram");
        output.WriteLine();
        var percentiles = result.Percentiles();
        TextTable.Write(output, ["Percentile", "Response Duration"], Percentiles.Select(percentile => (IReadOnlyList<string>)
            [percentile.ToString(CultureInfo.InvariantCulture), percentiles.At(percentile) is { } latency ? Milliseconds(latency) : "-"]));
    }

    /// <summary>A latency in milliseconds: whole above 10 ms, to a tenth below.</summary>
    internal static string Milliseconds(TimeSpan latency) =>
        latency.TotalMilliseconds >= 10 ? Invariant($"{latency.TotalMilliseconds:0} ms") : Invariant($"{latency.TotalMilliseconds:0.0} ms");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
