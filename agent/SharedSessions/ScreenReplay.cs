using System.Runtime.InteropServices;

namespace Teleport.Orleans.Agent.SharedSessions;

/// <summary>
/// What a joiner needs to redraw the session's current screen, kept as the output since the screen was last wiped.
/// Teleport replays the last 1000 bytes, which rarely redraws a full-screen program; here a clear screen (ESC[2J),
/// a terminal reset (ESC c) or a switch to the alternate screen (ESC[?1049h, ?1047h, ?47h) starts a new replay,
/// because nothing before it is visible any more. The main screen is kept while a full-screen program runs on the
/// alternate one, so leaving it (ESC[?1049l) falls back to the shell's screen. Each part is bounded: past
/// <see cref="Capacity"/> only the newest half is kept, cut after a newline so no escape sequence is split.
/// </summary>
internal sealed class ScreenReplay
{
    public const int Capacity = 128 * 1024;

    // The longest marker is 8 bytes; a marker split across two chunks is found when the second arrives.
    private const int LongestMarker = 8;

    private static readonly (byte[] Bytes, Marker Kind)[] Markers =
    [
        ("\u001b[2J"u8.ToArray(), Marker.Clear),
        ("\u001bc"u8.ToArray(), Marker.Reset),
        ("\u001b[?1049h"u8.ToArray(), Marker.AlternateEnter),
        ("\u001b[?1047h"u8.ToArray(), Marker.AlternateEnter),
        ("\u001b[?47h"u8.ToArray(), Marker.AlternateEnter),
        ("\u001b[?1049l"u8.ToArray(), Marker.AlternateLeave),
        ("\u001b[?1047l"u8.ToArray(), Marker.AlternateLeave),
        ("\u001b[?47l"u8.ToArray(), Marker.AlternateLeave),
    ];

    private List<byte> _main = [];
    private List<byte>? _alternate;

    private enum Marker
    {
        Clear,
        Reset,
        AlternateEnter,
        AlternateLeave,
    }

    /// <summary>Bytes kept now (main and alternate screen), for tests and diagnostics.</summary>
    public int Length => _main.Count + (_alternate?.Count ?? 0);

    public void Append(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var target = _alternate ?? _main;
            var before = target.Count;
            target.AddRange(data);
            var (at, length, kind) = FindMarker(CollectionsMarshal.AsSpan(target), Math.Max(0, before - LongestMarker + 1), before);
            if (at < 0)
            {
                Trim(target);
                return;
            }

            var end = at + length;
            var marker = CollectionsMarshal.AsSpan(target).Slice(at, length).ToArray();
            var rest = data[(end - before)..];
            target.RemoveRange(end, target.Count - end);
            switch (kind)
            {
                case Marker.Clear when _alternate is not null:
                    _alternate = [.. "\u001b[?1049h"u8, .. marker];
                    break;
                case Marker.Clear or Marker.Reset:
                    _alternate = null;
                    _main = [.. marker];
                    break;
                case Marker.AlternateEnter:
                    if (_alternate is null)
                    {
                        _main.RemoveRange(at, _main.Count - at);
                    }

                    _alternate = [.. marker];
                    break;
                case Marker.AlternateLeave:
                    if (_alternate is not null)
                    {
                        _alternate = null;
                    }

                    break;
            }

            data = rest;
        }
    }

    /// <summary>The bytes that redraw the current screen: the main screen, then the alternate one if a program uses it.</summary>
    public byte[] Snapshot() => _alternate is null ? [.. _main] : [.. _main, .. _alternate];

    /// <summary>The first marker from <paramref name="from"/> that ends past <paramref name="seen"/> (one seen before was handled then).</summary>
    private static (int At, int Length, Marker Kind) FindMarker(ReadOnlySpan<byte> buffer, int from, int seen)
    {
        var best = (At: -1, Length: 0, Kind: Marker.Clear);
        foreach (var (bytes, kind) in Markers)
        {
            var start = from;
            while (start < buffer.Length)
            {
                var found = buffer[start..].IndexOf(bytes);
                if (found < 0)
                {
                    break;
                }

                var at = start + found;
                if (at + bytes.Length > seen)
                {
                    if (best.At < 0 || at < best.At)
                    {
                        best = (at, bytes.Length, kind);
                    }

                    break;
                }

                start = at + 1;
            }
        }

        return best;
    }

    private static void Trim(List<byte> buffer)
    {
        if (buffer.Count <= Capacity)
        {
            return;
        }

        var cut = buffer.Count - (Capacity / 2);
        var newline = CollectionsMarshal.AsSpan(buffer)[cut..].IndexOf((byte)'\n');
        buffer.RemoveRange(0, newline < 0 ? cut : cut + newline + 1);
    }
}
