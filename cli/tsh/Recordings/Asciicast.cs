using System.Globalization;
using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.Recordings;

/// <summary>
/// A session recording in asciicast v2 (the node's format, docs/recordings.md): a JSON header line with the terminal
/// size, then one JSON array <c>[seconds, code, data]</c> per line.
/// </summary>
internal sealed record Asciicast(int Width, int Height, IReadOnlyList<RecordingEvent> Events)
{
    public static Asciicast Parse(string text)
    {
        var lines = text.Split('\n');
        var index = 0;
        while (index < lines.Length && string.IsNullOrWhiteSpace(lines[index]))
        {
            index++;
        }

        if (index == lines.Length)
        {
            throw new TshException("The recording is empty.");
        }

        int width, height;
        try
        {
            using var header = JsonDocument.Parse(lines[index]);
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != 2)
            {
                throw new TshException("The recording is not asciicast version 2 (its first line must be the header with \"version\": 2).");
            }

            width = root.TryGetProperty("width", out var w) ? w.GetInt32() : 80;
            height = root.TryGetProperty("height", out var h) ? h.GetInt32() : 24;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new TshException($"The recording's header line is not valid: {ex.Message}", ex);
        }

        var events = new List<RecordingEvent>();
        for (var i = index + 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                using var line = JsonDocument.Parse(lines[i]);
                var item = line.RootElement;
                if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() < 3)
                {
                    throw new FormatException("expected [seconds, code, data]");
                }

                events.Add(new RecordingEvent(item[0].GetDouble(), item[1].GetString() ?? "", item[2].GetString() ?? ""));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                throw new TshException($"Line {(i + 1).ToString(CultureInfo.InvariantCulture)} of the recording is not a valid event: {ex.Message}", ex);
            }
        }

        return new Asciicast(width, height, events);
    }
}
