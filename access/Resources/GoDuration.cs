using System.Globalization;
using System.Text;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Go's <c>time.ParseDuration</c> and <c>Duration.String</c>, which Teleport uses for durations such as <c>max_session_ttl: 30h</c>.</summary>
public static class GoDuration
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1000 * Nanosecond;
    private const long Millisecond = 1000 * Microsecond;
    private const long Second = 1000 * Millisecond;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long NanosecondsPerTick = 100;

    private static readonly Dictionary<string, long> s_units = new(StringComparer.Ordinal)
    {
        ["ns"] = Nanosecond,
        ["us"] = Microsecond,
        ["\u00b5s"] = Microsecond, // micro sign
        ["\u03bcs"] = Microsecond, // Greek mu
        ["ms"] = Millisecond,
        ["s"] = Second,
        ["m"] = Minute,
        ["h"] = Hour,
    };

    /// <summary>Parses e.g. "30h", "1h30m", "1.5s" or "-2m"; precision below 100ns (a tick) is dropped.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            error = null;
            return true;
        }

        if (s.IsEmpty)
        {
            error = "empty duration";
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var numberLength = s.IndexOfAnyExcept("0123456789.");
            if (numberLength == 0)
            {
                error = $"expected a number at '{s}'";
                return false;
            }

            if (numberLength < 0)
            {
                error = "missing unit (use h, m, s, ms, us or ns, e.g. 30h or 1h30m)";
                return false;
            }

            var number = s[..numberLength];
            if (number.Count('.') > 1 || number is "."
                || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                error = $"invalid number '{number}'";
                return false;
            }

            s = s[numberLength..];
            var unitLength = s.IndexOfAny("0123456789.");
            var unit = (unitLength < 0 ? s : s[..unitLength]).ToString();
            if (!s_units.TryGetValue(unit, out var nanoseconds))
            {
                error = $"unknown unit '{unit}' (use h, m, s, ms, us or ns)";
                return false;
            }

            s = s[unit.Length..];
            try
            {
                total += amount * nanoseconds;
            }
            catch (OverflowException)
            {
                total = decimal.MaxValue;
            }

            // Go's limit: a duration is an int64 count of nanoseconds.
            if (total > long.MaxValue)
            {
                error = "duration out of range";
                return false;
            }
        }

        var ticks = (long)decimal.Truncate(total / NanosecondsPerTick);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    /// <summary>Formats as Go does ("30h0m0s", "1m30s", "1.5s", "250ms"), so output reads like Teleport's.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var nanoseconds = (Int128)value.Ticks * NanosecondsPerTick;
        var sign = nanoseconds < 0 ? "-" : "";
        var u = Int128.Abs(nanoseconds);
        if (u < Second)
        {
            if (u < Microsecond)
            {
                return $"{sign}{Fraction(u, Nanosecond)}ns";
            }

            return u < Millisecond ? $"{sign}{Fraction(u, Microsecond)}\u00b5s" : $"{sign}{Fraction(u, Millisecond)}ms";
        }

        var builder = new StringBuilder(sign);
        var hours = u / Hour;
        var minutes = u % Hour / Minute;
        var seconds = Fraction(u % Minute, Second);
        if (hours > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        }

        return builder.Append(seconds).Append('s').ToString();
    }

    private static string Fraction(Int128 value, long unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return $"{whole.ToString(CultureInfo.InvariantCulture)}.{fraction}";
    }
}
