using Teleport.Orleans.Backends.Core.Audit;
using Teleport.Orleans.Contracts.Audit;

namespace Teleport.Orleans.Backends.Tests.Conformance;

/// <summary>What every audit-event backend must do. Times are whole milliseconds, the precision all backends keep.</summary>
public abstract class AuditEventStoreConformance : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000); // 2026-01-01

    protected IAuditEventStore Store { get; private set; } = null!;

    /// <summary>A store over a namespace that no other test uses.</summary>
    protected abstract Task<IAuditEventStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync(None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Appended_events_are_found_with_every_field_intact()
    {
        var login = Event("e1", "user.login", 0, user: "alice", json: """{"event":"user.login","user":"alice","note":"ünïcödé 日本 🔑"}""");
        await Store.AppendAsync([login], None);

        var found = await Search(T0, T0.AddMinutes(1));

        Assert.Equal([login], found);
    }

    [Fact]
    public async Task Appending_an_empty_batch_does_nothing()
    {
        await Store.AppendAsync([], None);

        Assert.Empty(await Search(T0.AddYears(-1), T0.AddYears(1)));
    }

    [Fact]
    public async Task An_id_appended_twice_is_stored_once_within_and_across_batches()
    {
        await Store.AppendAsync([Event("dup", "user.login", 0), Event("dup", "user.login", 0), Event("other", "user.login", 1)], None);
        await Store.AppendAsync([Event("dup", "user.login", 0), Event("third", "user.login", 2)], None);

        var ids = (await Search(T0, T0.AddMinutes(1))).Select(e => e.Id);

        Assert.Equal(["dup", "other", "third"], ids);
    }

    [Fact]
    public async Task The_time_range_includes_both_bounds_and_nothing_outside()
    {
        await Store.AppendAsync([Event("before", "t", -1), Event("from", "t", 0), Event("mid", "t", 5), Event("to", "t", 10), Event("after", "t", 11)], None);

        var ids = (await Search(T0, T0.AddMilliseconds(10))).Select(e => e.Id);

        Assert.Equal(["from", "mid", "to"], ids);
    }

    [Fact]
    public async Task Types_filter_the_search()
    {
        await Store.AppendAsync([Event("a", "user.login", 0), Event("b", "cert.create", 1), Event("c", "user.create", 2), Event("d", "user.login", 3)], None);

        var logins = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddMinutes(1), Types = ["user.login"] }, None);
        var two = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddMinutes(1), Types = ["user.login", "cert.create"] }, None);

        Assert.Equal(["a", "d"], logins.Select(e => e.Id));
        Assert.Equal(["a", "b", "d"], two.Select(e => e.Id));
    }

    [Fact]
    public async Task Results_are_in_time_order_either_way_and_cut_at_the_limit()
    {
        await Store.AppendAsync([.. Enumerable.Range(0, 10).Reverse().Select(i => Event("e" + i, "t", i * 1000))], None);

        var first = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddHours(1), Limit = 3 }, None);
        var last = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddHours(1), Limit = 3, Descending = true }, None);

        Assert.Equal(["e0", "e1", "e2"], first.Select(e => e.Id));
        Assert.Equal(["e9", "e8", "e7"], last.Select(e => e.Id));
    }

    [Fact]
    public async Task The_limit_counts_matching_events_only()
    {
        // Many non-matching events between the matching ones: a store that filters after paging must keep paging.
        var events = Enumerable.Range(0, 300).Select(i => Event("n" + i, i % 100 == 0 ? "wanted" : "noise", i)).ToList();
        await Store.AppendAsync(events, None);

        var found = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddHours(1), Types = ["wanted"], Limit = 2, Descending = true }, None);

        Assert.Equal(["n200", "n100"], found.Select(e => e.Id));
    }

    [Fact]
    public async Task A_large_batch_is_stored_whole()
    {
        var events = Enumerable.Range(0, 600).Select(i => Event($"bulk-{i:D4}", "session.data", i)).ToList();

        await Store.AppendAsync(events, None);

        var found = await Store.SearchAsync(new AuditQuery { From = T0, To = T0.AddHours(1), Limit = 1000 }, None);
        Assert.Equal(events.Select(e => e.Id), found.Select(e => e.Id));
    }

    protected static AuditEvent Event(string id, string type, int offsetMs, string user = "", string? json = null) => new()
    {
        Id = id,
        Type = type,
        Code = "T0000I",
        Time = T0.AddMilliseconds(offsetMs),
        User = user,
        Json = json ?? $$"""{"id":"{{id}}","event":"{{type}}"}""",
    };

    private Task<IReadOnlyList<AuditEvent>> Search(DateTimeOffset from, DateTimeOffset to) =>
        Store.SearchAsync(new AuditQuery { From = from, To = to, Limit = 1000 }, None);
}
