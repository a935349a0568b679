using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Audit;
using Teleport.Orleans.Grains.Tests.Support;

namespace Teleport.Orleans.Grains.Tests.Recordings;

[Collection(AuthClusterCollection.Name)]
public sealed class RecordingReaderGrainTests(AuthClusterFixture fixture)
{
    // As the node emits them (from the one catalogue, access/Audit/AuditEventTypes).
    private static readonly AuditEventType SessionStart = AuditEventTypes.SessionStart;
    private static readonly AuditEventType SessionEnd = AuditEventTypes.SessionEnd;

    private IRecordingReaderGrain Reader => fixture.Grains.GetGrain<IRecordingReaderGrain>(0);

    [Fact]
    public async Task A_recording_larger_than_a_slice_reads_back_byte_exact_and_only_the_last_slice_ends_it()
    {
        var sessionId = Guid.NewGuid().ToString();
        var content = RandomNumberGenerator.GetBytes((2 * IRecordingReaderGrain.MaxSlice) + 1234);
        await fixture.Recordings.UploadAsync(sessionId, new MemoryStream(content), CancellationToken.None);

        var read = new MemoryStream();
        var ends = new List<bool>();
        while (ends.Count == 0 || !ends[^1])
        {
            var slice = await Reader.Read(sessionId, read.Length, int.MaxValue);
            Assert.NotNull(slice);
            read.Write(slice.Data);
            ends.Add(slice.End);
        }

        Assert.Equal(content, read.ToArray());
        Assert.Equal([false, false, true], ends);
    }

    [Fact]
    public async Task A_slice_that_stops_exactly_at_the_end_says_so()
    {
        var sessionId = Guid.NewGuid().ToString();
        await fixture.Recordings.UploadAsync(sessionId, new MemoryStream("0123456789"u8.ToArray()), CancellationToken.None);

        var slice = await Reader.Read(sessionId, 4, 6);

        Assert.Equal("456789"u8.ToArray(), slice!.Data);
        Assert.True(slice.End);
    }

    [Fact]
    public async Task A_session_without_a_recording_reads_as_null()
    {
        Assert.Null(await Reader.Read(Guid.NewGuid().ToString(), 0, 100));
    }

    [Fact]
    public async Task A_session_id_that_could_leave_the_store_is_rejected()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() => Reader.Read("../../etc/passwd", 0, 100));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    [Fact]
    public async Task Listing_returns_only_session_end_events_in_the_range_newest_first()
    {
        var from = fixture.Time.GetUtcNow();
        var (older, newer) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var audit = fixture.Grains.GetGrain<IAuditLogGrain>(0);
        var caller = new Caller { Name = "alice" };
        await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(1), Recorded(older)));
        await audit.Emit(AuditEventFactory.Create(SessionStart, caller, from.AddSeconds(2), new JsonObject { ["sid"] = newer }));
        await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(3), Recorded(newer)));

        var events = (await Reader.ListSessionEnds(from, from.AddSeconds(10), 100, "")).Events;

        var sids = events.Select(e => JsonDocument.Parse(e).RootElement.GetProperty("sid").GetString()!).ToArray();
        Assert.Equal(new[] { newer, older }, sids);
    }

    [Fact]
    public async Task Paging_hands_out_every_session_once_newest_first_even_when_several_end_in_the_same_millisecond()
    {
        var from = fixture.Time.GetUtcNow().AddHours(1);
        var audit = fixture.Grains.GetGrain<IAuditLogGrain>(0);
        var caller = new Caller { Name = "alice" };
        var offsets = new[] { 1, 2, 3, 3, 3, 4, 5 };
        var sids = offsets.Select(_ => Guid.NewGuid().ToString()).ToArray();
        for (var i = 0; i < offsets.Length; i++)
        {
            await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(offsets[i]), Recorded(sids[i])));
        }

        var seen = new List<(string Sid, DateTimeOffset Time)>();
        var key = "";
        var pages = 0;
        do
        {
            var page = await Reader.ListSessionEnds(from, from.AddSeconds(10), 2, key);
            seen.AddRange(page.Events.Select(e => JsonDocument.Parse(e).RootElement).Select(e => (e.GetProperty("sid").GetString()!, e.GetProperty("time").GetDateTimeOffset())));
            key = page.NextKey;
            pages++;
        }
        while (key.Length > 0 && pages < 10);

        Assert.Equal(sids.Order(), seen.Select(s => s.Sid).Order());
        Assert.Equal(seen.Select(s => s.Time).OrderDescending(), seen.Select(s => s.Time));
        Assert.InRange(pages, 4, 5);
    }

    [Fact]
    public async Task Sessions_that_left_no_recording_are_not_listed_and_paging_goes_past_them()
    {
        var from = fixture.Time.GetUtcNow().AddHours(2);
        var audit = fixture.Grains.GetGrain<IAuditLogGrain>(0);
        var caller = new Caller { Name = "alice" };
        var (oldest, newest) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(1), Recorded(oldest)));
        for (var i = 0; i < 5; i++)
        {
            // An exec without a terminal, and the proxy's relay of a session (no "interactive").
            await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(2 + i), new JsonObject
            {
                ["sid"] = Guid.NewGuid().ToString(),
                ["interactive"] = false,
                ["session_recording"] = "off",
            }));
            await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(2 + i), new JsonObject
            {
                ["sid"] = Guid.NewGuid().ToString(),
                ["session_recording"] = "node",
                ["proxy_channel"] = "session",
            }));
        }

        await audit.Emit(AuditEventFactory.Create(SessionEnd, caller, from.AddSeconds(9), Recorded(newest)));

        var listed = new List<string>();
        var key = "";
        var pages = 0;
        do
        {
            var page = await Reader.ListSessionEnds(from, from.AddSeconds(10), 1, key);
            listed.AddRange(page.Events.Select(e => JsonDocument.Parse(e).RootElement.GetProperty("sid").GetString()!));
            key = page.NextKey;
            pages++;
        }
        while (key.Length > 0 && pages < 10);

        Assert.Equal(new[] { newest, oldest }, listed);
    }

    [Fact]
    public async Task A_start_key_the_server_never_handed_out_is_a_bad_parameter()
    {
        var error = await Assert.ThrowsAsync<AuthException>(() => Reader.ListSessionEnds(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow, 10, "not-a-key!"));

        Assert.Equal(AuthErrorKind.BadParameter, error.Kind);
    }

    /// <summary>A session.end as the node writes it for a recorded terminal session.</summary>
    private static JsonObject Recorded(string sid) => new() { ["sid"] = sid, ["interactive"] = true, ["session_recording"] = "node" };
}
