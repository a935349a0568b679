using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Teleport.Orleans.Access.Resources;

/// <summary>
/// Go's <c>time.ParseDuration</c> / <c>Duration.String</c> syntax ("300ms", "1m30s", "1h30m", "-1.5h"), which
/// is what teleport.yaml and Teleport's resources (<c>max_session_ttl: 30h</c>) use. Ported rule for rule so a
/// value that Teleport accepts is accepted here; the one parser for teleport.yaml, resources and tctl options.
/// TimeSpan counts 100 ns ticks, so anything finer than a tick is truncated.
/// </summary>
public static class GoDuration
{
    private const ulong Nanosecond = 1;
    private const ulong Microsecond = 1_000 * Nanosecond;
    private const ulong Millisecond = 1_000 * Microsecond;
    private const ulong Second = 1_000 * Millisecond;
    private const ulong Minute = 60 * Second;
    private const ulong Hour = 60 * Minute;

    // Go's limit: the magnitude must fit an int64 of nanoseconds (about 292 years).
    private const ulong MaxMagnitude = 1UL << 63;

    /// <summary>Parses a Go duration. Throws <see cref="FormatException"/> with Go's reason on bad input.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value, out var error) ? value : throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value) =>
        TryParse(text, out value, out _);

    /// <summary>Formats like Go's <c>Duration.String</c>: "0s", "1.5s", "1m30s", "1h0m0s", "250ms".</summary>
    public static string Format(TimeSpan value)
    {
        Int128 ns = (Int128)value.Ticks * 100;
        if (ns == 0)
        {
            return "0s";
        }

        var sign = ns < 0 ? "-" : "";
        var u = Int128.Abs(ns);
        if (u < (Int128)Second)
        {
            // Sub-second values use the largest unit that keeps an integer part, as Go does.
            return u < (Int128)Microsecond ? $"{sign}{u}ns"
                : u < (Int128)Millisecond ? sign + Fraction(u, Microsecond) + "µs"
                : sign + Fraction(u, Millisecond) + "ms";
        }

        var builder = new StringBuilder(sign);
        var totalSeconds = u / (Int128)Second;
        var minutes = totalSeconds / 60;
        if (minutes > 0)
        {
            var hours = minutes / 60;
            if (hours > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{hours}h");
            }

            builder.Append(CultureInfo.InvariantCulture, $"{minutes % 60}m");
        }

        builder.Append(Fraction(u % (Int128)Minute, Second)).Append('s');
        return builder.ToString();
    }

    /// <summary>Parses a Go duration; on bad input <paramref name="error"/> says why in a sentence a caller can quote.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty duration";
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // "0" is the one number allowed without a unit.
        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = $"invalid duration '{text}'";
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = $"invalid duration '{text}': expected a number at '{s}'";
                return false;
            }

            var digits = LeadingDigits(s);
            var hasInteger = digits > 0;
            if (!TryParseInteger(s[..digits], out var whole))
            {
                error = TooLarge(text);
                return false;
            }

            s = s[digits..];
            ulong fraction = 0;
            double scale = 1;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionDigits = LeadingDigits(s);
                hasFraction = fractionDigits > 0;
                foreach (var c in s[..fractionDigits])
                {
                    // Like Go, digits past what a ulong can hold are dropped: they cannot change the result.
                    if (fraction <= (ulong.MaxValue - 9) / 10)
                    {
                        fraction = (fraction * 10) + (ulong)(c - '0');
                        scale *= 10;
                    }
                }

                s = s[fractionDigits..];
            }

            if (!hasInteger && !hasFraction)
            {
                error = $"invalid duration '{text}': expected a number before the unit";
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && !(s[unitLength] == '.' || char.IsAsciiDigit(s[unitLength])))
            {
                unitLength++;
            }

            if (unitLength == 0 && !s.IsEmpty)
            {
                // A second '.' after the fraction: Go calls this a missing unit, but the number is what is wrong.
                error = $"invalid number in duration '{text}'";
                return false;
            }

            if (unitLength == 0)
            {
                error = $"missing unit in duration '{text}' (use ns, us, ms, s, m or h)";
                return false;
            }

            var unitText = s[..unitLength];
            if (!TryUnit(unitText, out var unit))
            {
                error = $"unknown unit '{unitText}' in duration '{text}' (use ns, us, ms, s, m or h)";
                return false;
            }

            s = s[unitLength..];
            if (whole > MaxMagnitude / unit)
            {
                error = TooLarge(text);
                return false;
            }

            whole *= unit;
            if (fraction > 0)
            {
                whole += (ulong)(fraction * (unit / scale));
                if (whole > MaxMagnitude)
                {
                    error = TooLarge(text);
                    return false;
                }
            }

            total += whole;
            if (total > MaxMagnitude)
            {
                error = TooLarge(text);
                return false;
            }
        }

        if (!negative && total > MaxMagnitude - 1)
        {
            error = TooLarge(text);
            return false;
        }

        var ticks = (long)(total / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static string TooLarge(string text) =>
        $"duration '{text}' is out of range (too large: the limit is 2562047h, about 292 years)";

    private static int LeadingDigits(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }

    private static bool TryParseInteger(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (value > (MaxMagnitude - (ulong)(c - '0')) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(c - '0');
        }

        return true;
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => Nanosecond,
            "us" or "µs" or "μs" => Microsecond, // U+00B5 micro sign and U+03BC Greek mu, as in Go
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            _ => 0,
        };
        return nanoseconds != 0;
    }

    // Integer part plus a fraction with trailing zeros removed, e.g. 1500000 ns in ms -> "1.5".
    private static string Fraction(Int128 value, ulong unit)
    {
        var integer = value / (Int128)unit;
        var remainder = value % (Int128)unit;
        if (remainder == 0)
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        var width = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var digits = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0').TrimEnd('0');
        return $"{integer}.{digits}";
    }
}
