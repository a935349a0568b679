using Orleans.Concurrency;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;

namespace Teleport.Orleans.Grains.Recordings;

/// <summary>
/// Serves recordings to gateways from the silo's <see cref="IRecordingStore"/>, a slice per call, so a long
/// recording is never held whole in memory nor sent in one message, and lists the sessions that were recorded.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class RecordingReaderGrain(IRecordingStore recordings) : Grain, IRecordingReaderGrain
{
    private const int MaxEvents = 1000;

    /// <summary>Audit log reads one page may take when most sessions in the range were not recorded.</summary>
    private const int MaxRounds = 10;

    public async Task<SessionEndPage> ListSessionEnds(DateTimeOffset from, DateTimeOffset to, int limit, string startKey)
    {
        var cursor = SessionEndCursor.Parse(startKey);
        var want = Math.Clamp(limit, 1, MaxEvents);
        var kept = new List<string>();

        // Sessions that left no recording (exec without a terminal, proxy relays) are skipped, so a page may take
        // several reads of the audit log; after MaxRounds the page is handed out short, with the key to go on.
        for (var round = 0; round < MaxRounds; round++)
        {
            var seen = cursor?.SeenIds ?? [];
            var asked = want - kept.Count + seen.Count;
            var upper = cursor is null ? to : Min(to, DateTimeOffset.FromUnixTimeMilliseconds(cursor.TimeMs));
            var events = await GrainFactory.GetGrain<IAuditLogGrain>(0).Search(new AuditQuery
            {
                From = from,
                To = upper,
                Types = [AuditEventTypes.SessionEnd.Name],
                Limit = asked,
                Descending = true,
            });
            var fresh = events
                .Where(e => cursor is null || e.Time.ToUnixTimeMilliseconds() != cursor.TimeMs || !seen.Contains(e.Id))
                .Take(want - kept.Count)
                .ToArray();
            kept.AddRange(fresh.Where(e => RecordedSessions.IsRecorded(e.Json)).Select(e => e.Json));

            // A short answer from the store means nothing older is left in the range.
            if (events.Length < asked || fresh.Length == 0)
            {
                return new SessionEndPage { Events = [.. kept] };
            }

            var lastMs = fresh[^1].Time.ToUnixTimeMilliseconds();
            var atLast = fresh.Where(e => e.Time.ToUnixTimeMilliseconds() == lastMs).Select(e => e.Id);
            cursor = new SessionEndCursor(lastMs, [.. (cursor?.TimeMs == lastMs ? seen.Concat(atLast) : atLast).Distinct(StringComparer.Ordinal)]);
            if (kept.Count == want)
            {
                break;
            }
        }

        return new SessionEndPage { Events = [.. kept], NextKey = cursor!.Encode() };
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
