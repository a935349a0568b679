using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Recording;

/// <summary>
/// Records an interactive session as asciicast v2 (docs/recordings.md): a header line, then one JSON array per
/// output chunk or resize with seconds since the start. The session's data path only copies the chunk into a
/// bounded channel; a background writer decodes UTF-8 (a character split across chunks is joined, invalid bytes
/// become U+FFFD), writes the lines and flushes after each batch, so a crash leaves a readable prefix in
/// "&lt;id&gt;.cast.part". Completing renames it to "&lt;id&gt;.cast".
/// </summary>
internal sealed partial class AsciicastRecorder : IAsyncDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Channel<RecordingEvent> _events =
        Channel.CreateBounded<RecordingEvent>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly FileStream _file;
    private readonly string _partPath;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private string? _finalPath;

    private AsciicastRecorder(FileStream file, string partPath, string finalPath, ILogger logger)
    {
        _file = file;
        _partPath = partPath;
        _finalPath = finalPath;
        _logger = logger;
        _writer = Task.Run(WriteEventsAsync);
    }

    public string PartPath => _partPath;

    /// <summary>Creates "&lt;session id&gt;.cast.part" (mode 0600) in <paramref name="directory"/> and writes the header.</summary>
    public static AsciicastRecorder Start(string directory, RecordingHeader header, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var finalPath = Path.Combine(directory, header.SessionId + ".cast");
        var partPath = finalPath + ".part";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 16 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            // What the session showed may be secret: only the node's user reads it.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(partPath, fileOptions);
        try
        {
            WriteHeader(file, header);
            file.Flush();
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return new AsciicastRecorder(file, partPath, finalPath, logger);
    }

    /// <summary>Queues a copy of terminal output; waits only when the writer is 1024 chunks behind.</summary>
    public ValueTask OutputAsync(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        var copy = data.ToArray();
        var item = new RecordingEvent(Elapsed(), copy, null);
        return _events.Writer.TryWrite(item) ? ValueTask.CompletedTask : WriteSlowAsync(item, cancellationToken);
    }

    /// <summary>Queues a terminal resize ("r" event, COLSxROWS).</summary>
    public void Resize(uint columns, uint rows)
    {
        var item = new RecordingEvent(Elapsed(), null, $"{columns}x{rows}");
        if (!_events.Writer.TryWrite(item))
        {
            _ = WriteSlowAsync(item, CancellationToken.None).AsTask();
        }
    }

    /// <summary>Writes what is queued, closes the file and renames it to its final name, which it returns.</summary>
    public async Task<string?> CompleteAsync()
    {
        _events.Writer.TryComplete();
        try
        {
            await _writer;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, _partPath, exception);
        }

        await _file.DisposeAsync();
        if (_finalPath is null)
        {
            return null;
        }

        File.Move(_partPath, _finalPath, overwrite: false);
        var path = _finalPath;
        _finalPath = null;
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_finalPath is not null)
        {
            await CompleteAsync();
        }
    }

    private async ValueTask WriteSlowAsync(RecordingEvent item, CancellationToken cancellationToken)
    {
        try
        {
            await _events.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // The session ended meanwhile: output after the end is not part of the recording.
        }
    }

    private double Elapsed() => Stopwatch.GetElapsedTime(_start).TotalSeconds;

    private async Task WriteEventsAsync()
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        using var json = new Utf8JsonWriter(_file, JsonOptions);
        var last = 0.0;
        var chars = new char[8192];
        while (await _events.Reader.WaitToReadAsync())
        {
            while (_events.Reader.TryRead(out var item))
            {
                // Events from the output pump and from window-change requests race; the file stays monotonic.
                last = Math.Max(last, item.Time);
                if (item.Data is { } data)
                {
                    if (chars.Length < decoder.GetCharCount(data, flush: false))
                    {
                        chars = new char[decoder.GetCharCount(data, flush: false) * 2];
                    }

                    var count = decoder.GetChars(data, chars, flush: false);
                    if (count > 0)
                    {
                        WriteEvent(json, _file, last, "o", chars.AsSpan(0, count));
                    }
                }
                else
                {
                    WriteEvent(json, _file, last, "r", item.Size.AsSpan());
                }
            }

            await _file.FlushAsync();
        }

        // A character cut off by the end of the session becomes U+FFFD.
        var tail = new char[8];
        var tailCount = decoder.GetChars([], tail, flush: true);
        if (tailCount > 0)
        {
            WriteEvent(json, _file, last, "o", tail.AsSpan(0, tailCount));
        }

        await _file.FlushAsync();
    }

    private static void WriteEvent(Utf8JsonWriter json, Stream stream, double time, string kind, ReadOnlySpan<char> text)
    {
        json.Reset(stream);
        json.WriteStartArray();
        json.WriteNumberValue(Math.Round(time, 6));
        json.WriteStringValue(kind);
        json.WriteStringValue(text);
        json.WriteEndArray();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteHeader(Stream stream, RecordingHeader header)
    {
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 2);
            json.WriteNumber("width", header.Width);
            json.WriteNumber("height", header.Height);
            json.WriteNumber("timestamp", header.Started.ToUnixTimeSeconds());
            json.WriteStartObject("env");
            json.WriteString("TERM", header.Terminal);
            json.WriteString("SHELL", header.Shell);
            json.WriteEndObject();
            json.WriteString("title", header.Title);
            json.WriteStartObject("teleport");
            json.WriteString("session_id", header.SessionId);
            json.WriteString("user", header.User);
            json.WriteString("login", header.Login);
            json.WriteString("node_id", header.NodeId);
            json.WriteString("hostname", header.Hostname);
            json.WriteString("cluster", header.ClusterName);
            if (header.Command is not null)
            {
                json.WriteString("command", header.Command);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the session recording {Path}")]
    private static partial void LogWriteFailed(ILogger logger, string path, Exception exception);

    private readonly record struct RecordingEvent(double Time, byte[]? Data, string? Size);
}
