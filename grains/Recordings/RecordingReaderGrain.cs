using Orleans.Concurrency;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Recordings;

/// <summary>
/// Serves recordings to gateways from the silo's <see cref="IRecordingStore"/>, a slice per call, so a long
/// recording is never held whole in memory nor sent in one message.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class RecordingReaderGrain(IRecordingStore recordings) : Grain, IRecordingReaderGrain
{
    private const int MaxEvents = 1000;

    public async Task<SessionEndPage> ListSessionEnds(DateTimeOffset from, DateTimeOffset to, int limit, string startKey)
    {
        var cursor = SessionEndCursor.Parse(startKey);
        var want = Math.Clamp(limit, 1, MaxEvents);
        var seen = cursor?.SeenIds ?? [];
        var asked = want + seen.Count;
        var upper = cursor is null ? to : Min(to, DateTimeOffset.FromUnixTimeMilliseconds(cursor.TimeMs));
        var events = await GrainFactory.GetGrain<IAuditLogGrain>(0).Search(new AuditQuery
        {
            From = from,
            To = upper,
            Types = ["session.end"],
            Limit = asked,
            Descending = true,
        });
        var page = events
            .Where(e => cursor is null || e.Time.ToUnixTimeMilliseconds() != cursor.TimeMs || !seen.Contains(e.Id))
            .Take(want)
            .ToArray();
        // A short answer from the store means nothing older is left in the range.
        if (events.Length < asked || page.Length == 0)
        {
            return new SessionEndPage { Events = [.. page.Select(e => e.Json)] };
        }

        var lastMs = page[^1].Time.ToUnixTimeMilliseconds();
        var atLast = page.Where(e => e.Time.ToUnixTimeMilliseconds() == lastMs).Select(e => e.Id);
        var next = new SessionEndCursor(lastMs, [.. (cursor?.TimeMs == lastMs ? seen.Concat(atLast) : atLast).Distinct(StringComparer.Ordinal)]);
        return new SessionEndPage { Events = [.. page.Select(e => e.Json)], NextKey = next.Encode() };
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public async Task<RecordingSlice?> Read(string sessionId, long offset, int count)
    {
        SessionIds.Check(sessionId);
        if (offset < 0 || count < 0)
        {
            throw AuthException.BadParameter("offset and count must not be negative");
        }

        await using var recording = await recordings.DownloadFromAsync(sessionId, offset, CancellationToken.None);
        if (recording is null)
        {
            return null;
        }

        var buffer = new byte[Math.Min(count, IRecordingReaderGrain.MaxSlice)];
        var filled = 0;
        int read = 1;
        while (filled < buffer.Length && (read = await recording.ReadAsync(buffer.AsMemory(filled))) > 0)
        {
            filled += read;
        }

        // A full buffer may sit exactly at the end: one more byte tells.
        var end = read == 0 || await recording.ReadAsync(new byte[1]) == 0;
        return new RecordingSlice { Data = filled == buffer.Length ? buffer : buffer[..filled], End = end };
    }
}
