using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Teleport.Orleans.Backends.Core.Membership;

namespace Teleport.Orleans.Backends.Tests.Conformance;

/// <summary>
/// What every membership backend must do, checked through Orleans' own <see cref="IMembershipTable"/> contract as
/// the silo's membership protocol uses it. Each test works in a cluster id of its own.
/// </summary>
public abstract class MembershipTableConformance : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTime Start = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    protected string ClusterId { get; } = "cluster-" + Guid.NewGuid().ToString("N")[..8];

    protected IMembershipStore Store { get; private set; } = null!;

    protected IMembershipTable Table { get; private set; } = null!;

    /// <summary>A store over a namespace that no other test uses (the same one for every call within a test).</summary>
    protected abstract Task<IMembershipStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        Table = TableFor(ClusterId);
        await Table.InitializeMembershipTableAsync(tryInitTableVersion: true, None);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_new_table_is_empty_at_version_zero()
    {
        var data = await Table.ReadAllAsync(None);

        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task Insert_adds_the_row_and_moves_the_version_and_its_etag()
    {
        var before = (await Table.ReadAllAsync(None)).Version;
        var entry = Entry(1);

        Assert.True(await Table.InsertRowAsync(entry, before.Next(), None));

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(1, after.Version.Version);
        Assert.NotEqual(before.VersionEtag, after.Version.VersionEtag);
        AssertSameEntry(entry, Assert.Single(after.Members).Item1);
    }

    [Fact]
    public async Task Every_field_of_an_entry_round_trips()
    {
        var entry = Entry(1, SiloStatus.Joining);
        entry.SuspectTimes = [Tuple.Create(Address(2), Start.AddSeconds(5)), Tuple.Create(Address(3), Start.AddSeconds(7))];
        entry.RoleName = "auth ünïcödé";
        entry.UpdateZone = 3;
        entry.FaultZone = 4;

        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));

        var (read, etag) = (await Table.ReadRowAsync(entry.SiloAddress, None)).Members.Single();
        AssertSameEntry(entry, read);
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task Inserting_a_silo_that_has_a_row_fails_and_changes_nothing()
    {
        var entry = Entry(1);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));
        var version = (await Table.ReadAllAsync(None)).Version;

        entry.Status = SiloStatus.Dead;
        Assert.False(await Table.InsertRowAsync(entry, version.Next(), None));

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(version, after.Version);
        Assert.Equal(SiloStatus.Active, after.Members.Single().Item1.Status);
    }

    [Fact]
    public async Task Insert_with_a_stale_version_etag_fails()
    {
        var stale = (await Table.ReadAllAsync(None)).Version;
        Assert.True(await Table.InsertRowAsync(Entry(1), stale.Next(), None));

        Assert.False(await Table.InsertRowAsync(Entry(2), stale.Next(), None));

        Assert.Single((await Table.ReadAllAsync(None)).Members);
    }

    [Fact]
    public async Task Update_with_the_current_etags_replaces_the_row()
    {
        var entry = Entry(1, SiloStatus.Joining);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));
        var read = await Table.ReadAllAsync(None);
        var etag = read.Members.Single().Item2;

        entry.Status = SiloStatus.Active;
        Assert.True(await Table.UpdateRowAsync(entry, etag, read.Version.Next(), None));

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(2, after.Version.Version);
        Assert.Equal(SiloStatus.Active, after.Members.Single().Item1.Status);
        Assert.NotEqual(etag, after.Members.Single().Item2);
    }

    [Fact]
    public async Task Update_with_a_stale_row_etag_or_version_etag_fails()
    {
        var entry = Entry(1, SiloStatus.Joining);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));
        var first = await Table.ReadAllAsync(None);
        entry.Status = SiloStatus.Active;
        Assert.True(await Table.UpdateRowAsync(entry, first.Members.Single().Item2, first.Version.Next(), None));
        var second = await Table.ReadAllAsync(None);

        entry.Status = SiloStatus.Dead;
        Assert.False(await Table.UpdateRowAsync(entry, first.Members.Single().Item2, second.Version.Next(), None));
        Assert.False(await Table.UpdateRowAsync(entry, second.Members.Single().Item2, first.Version.Next(), None));

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(second.Version, after.Version);
        Assert.Equal(SiloStatus.Active, after.Members.Single().Item1.Status);
    }

    [Fact]
    public async Task Updating_a_silo_without_a_row_fails()
    {
        var version = (await Table.ReadAllAsync(None)).Version;

        Assert.False(await Table.UpdateRowAsync(Entry(9), "1", version.Next(), None));
        Assert.Equal(version, (await Table.ReadAllAsync(None)).Version);
    }

    [Fact]
    public async Task IAmAlive_moves_only_the_alive_time_and_keeps_earlier_etags_usable()
    {
        var entry = Entry(1);
        Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));
        var read = await Table.ReadAllAsync(None);

        entry.IAmAliveTime = Start.AddMinutes(3);
        await Table.UpdateIAmAliveAsync(entry, None);

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(read.Version, after.Version);
        Assert.Equal(Start.AddMinutes(3), after.Members.Single().Item1.IAmAliveTime);
        entry.Status = SiloStatus.ShuttingDown;
        Assert.True(await Table.UpdateRowAsync(entry, read.Members.Single().Item2, read.Version.Next(), None));
    }

    [Fact]
    public async Task ReadRow_returns_that_silo_only_and_the_version()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), (await Table.ReadAllAsync(None)).Version.Next(), None));
        Assert.True(await Table.InsertRowAsync(Entry(2), (await Table.ReadAllAsync(None)).Version.Next(), None));

        var row = await Table.ReadRowAsync(Address(2), None);
        var missing = await Table.ReadRowAsync(Address(7), None);

        Assert.Equal(Address(2), row.Members.Single().Item1.SiloAddress);
        Assert.Equal(2, row.Version.Version);
        Assert.Empty(missing.Members);
        Assert.Equal(2, missing.Version.Version);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_entries_last_updated_before_the_date()
    {
        var oldDead = Entry(1, SiloStatus.Dead, alive: Start.AddHours(-3));
        var recentlyVotedDead = Entry(2, SiloStatus.Dead, alive: Start.AddHours(-3));
        recentlyVotedDead.SuspectTimes = [Tuple.Create(Address(3), Start)];
        var oldActive = Entry(3, SiloStatus.Active, alive: Start.AddHours(-3));
        var recentDead = Entry(4, SiloStatus.Dead, alive: Start);
        foreach (var entry in new[] { oldDead, recentlyVotedDead, oldActive, recentDead })
        {
            Assert.True(await Table.InsertRowAsync(entry, (await Table.ReadAllAsync(None)).Version.Next(), None));
        }

        await Table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(Start.AddHours(-1)), None);

        var left = (await Table.ReadAllAsync(None)).Members.Select(m => m.Item1.SiloAddress).OrderBy(a => a.Endpoint.Port);
        Assert.Equal([Address(2), Address(3), Address(4)], left);
    }

    [Fact]
    public async Task Deleting_a_cluster_leaves_other_clusters_alone()
    {
        var other = TableFor(ClusterId + "-other");
        await other.InitializeMembershipTableAsync(true, None);
        Assert.True(await Table.InsertRowAsync(Entry(1), (await Table.ReadAllAsync(None)).Version.Next(), None));
        Assert.True(await other.InsertRowAsync(Entry(1), (await other.ReadAllAsync(None)).Version.Next(), None));

        await Table.DeleteMembershipTableEntriesAsync(ClusterId, None);

        Assert.Empty((await Table.ReadAllAsync(None)).Members);
        Assert.Single((await other.ReadAllAsync(None)).Members);
        await Table.InitializeMembershipTableAsync(true, None);
        Assert.True(await Table.InsertRowAsync(Entry(2), (await Table.ReadAllAsync(None)).Version.Next(), None));
    }

    [Fact]
    public async Task Initializing_again_keeps_rows_and_version()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), (await Table.ReadAllAsync(None)).Version.Next(), None));
        var before = await Table.ReadAllAsync(None);

        await TableFor(ClusterId).InitializeMembershipTableAsync(true, None);

        var after = await Table.ReadAllAsync(None);
        Assert.Equal(before.Version, after.Version);
        Assert.Single(after.Members);
    }

    [Fact]
    public async Task Concurrent_inserts_at_one_version_let_exactly_one_win()
    {
        var version = (await Table.ReadAllAsync(None)).Version;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = Enumerable.Range(1, 6).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await TableFor(ClusterId).InsertRowAsync(Entry(i), version.Next(), None);
        })).ToList();
        gate.SetResult();

        var results = await Task.WhenAll(racing);

        Assert.Equal(1, results.Count(won => won));
        var after = await Table.ReadAllAsync(None);
        Assert.Single(after.Members);
        Assert.Equal(1, after.Version.Version);
    }

    protected IMembershipTable TableFor(string clusterId) => new ClusterMembershipTable(
        Store, Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "teleport" }), NullLogger<ClusterMembershipTable>.Instance);

    protected static SiloAddress Address(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), 100 + n);

    protected static MembershipEntry Entry(int n, SiloStatus status = SiloStatus.Active, DateTime? alive = null) => new()
    {
        SiloAddress = Address(n),
        Status = status,
        SuspectTimes = [],
        ProxyPort = 30000 + n,
        HostName = "host-" + n,
        SiloName = "silo-" + n,
        RoleName = "auth",
        StartTime = (alive ?? Start).AddMinutes(-10),
        IAmAliveTime = alive ?? Start,
    };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.SuspectTimes ?? [], actual.SuspectTimes ?? []);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.RoleName, actual.RoleName);
        Assert.Equal(expected.UpdateZone, actual.UpdateZone);
        Assert.Equal(expected.FaultZone, actual.FaultZone);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
    }
}
