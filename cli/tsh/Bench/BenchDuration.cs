using System.Globalization;

namespace Teleport.Orleans.Cli.Tsh.Bench;

/// <summary>A duration as Teleport's flags take it (Go's form): numbers with units, e.g. "2s", "500ms", "1m30s", "1.5h".</summary>
internal static class BenchDuration
{
    private static readonly (string Unit, double Seconds)[] Units =
        [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)];

    public static TimeSpan Parse(string text)
    {
        var rest = text.Trim();
        var seconds = 0.0;
        if (rest.Length == 0)
        {
            throw Invalid(text);
        }

        while (rest.Length > 0)
        {
            var number = 0;
            while (number < rest.Length && (char.IsAsciiDigit(rest[number]) || rest[number] == '.'))
            {
                number++;
            }

            if (number == 0 || !double.TryParse(rest.AsSpan(0, number), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                throw Invalid(text);
            }

            rest = rest[number..];
            // The longest unit that matches: "ms" before "m".
            var unit = Units.Where(u => rest.StartsWith(u.Unit, StringComparison.Ordinal)).OrderByDescending(u => u.Unit.Length).FirstOrDefault();
            if (unit.Unit is null)
            {
                throw Invalid(text);
            }

            seconds += value * unit.Seconds;
            rest = rest[unit.Unit.Length..];
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static TshException Invalid(string text) =>
        new($"'{text}' is not a duration: expected a number with a unit, e.g. 10s, 500ms, 1m30s.");
}
