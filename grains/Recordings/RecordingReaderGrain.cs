using Orleans.Concurrency;
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

    public async Task<string[]> ListSessionEnds(DateTimeOffset from, DateTimeOffset to, int limit)
    {
        var events = await GrainFactory.GetGrain<IAuditLogGrain>(0).Search(new AuditQuery
        {
            From = from,
            To = to,
            Types = ["session.end"],
            Limit = Math.Clamp(limit, 1, MaxEvents),
            Descending = true,
        });
        return [.. events.Select(e => e.Json)];
    }

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
