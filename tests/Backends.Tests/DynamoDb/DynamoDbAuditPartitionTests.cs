using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Audit;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

/// <summary>Audit events spread over partitions by day and shard, with TTL, and searches that fan out over them.</summary>
[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbAuditPartitionTests(DynaliteServer server) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day1 = new(2026, 3, 1, 23, 0, 0, TimeSpan.Zero);
    private readonly DynamoDbDatabase _database = Dynalite.Database(server);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task One_day_of_events_spreads_over_the_shards_and_every_item_expires_after_the_retention()
    {
        var store = new DynamoDbAuditEventStore(_database, TimeSpan.FromDays(30));
        await store.InitializeAsync(None);
        await store.AppendAsync([.. Enumerable.Range(0, 200).Select(i => Event($"e{i}", "user.login", Day1.AddSeconds(i)))], None);

        var items = (await _database.Client.ScanAsync(new ScanRequest { TableName = _database.TableName })).Items
            .Where(item => item[DynamoDbDatabase.PartitionKey].S.StartsWith("audit#", StringComparison.Ordinal)).ToList();

        Assert.Equal(200, items.Count);
        Assert.True(items.Select(item => item[DynamoDbDatabase.PartitionKey].S).Distinct().Count() >= DynamoDbAuditEventStore.Shards - 2);
        Assert.All(items, item => Assert.Equal(
            long.Parse(item[DynamoDbDatabase.SortKey].S[..16], CultureInfo.InvariantCulture) / 1000 + (long)TimeSpan.FromDays(30).TotalSeconds,
            long.Parse(item[DynamoDbDatabase.ExpiresAttribute].N, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_search_over_several_days_keeps_time_order_type_filter_and_limit_across_days_and_shards()
    {
        var store = new DynamoDbAuditEventStore(_database);
        await store.InitializeAsync(None);
        // Three days, an hour apart around midnight, every third event a login.
        var events = Enumerable.Range(0, 60).Select(i => Event($"x{i:D2}", i % 3 == 0 ? "user.login" : "noise", Day1.AddMinutes(i * 50))).ToList();
        await store.AppendAsync(events, None);
        var logins = events.Where(e => e.Type == "user.login").ToList();

        var ascending = await store.SearchAsync(new AuditQuery { From = Day1, To = Day1.AddDays(3), Types = ["user.login"], Limit = 15 }, None);
        var descending = await store.SearchAsync(new AuditQuery { From = Day1, To = Day1.AddDays(3), Types = ["user.login"], Limit = 15, Descending = true }, None);
        var window = await store.SearchAsync(new AuditQuery { From = events[10].Time, To = events[40].Time, Limit = 1000 }, None);

        Assert.Equal(logins.Take(15).Select(e => e.Id), ascending.Select(e => e.Id));
        Assert.Equal(logins.AsEnumerable().Reverse().Take(15).Select(e => e.Id), descending.Select(e => e.Id));
        Assert.Equal(events[10..41].Select(e => e.Id), window.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_written_before_the_partitions_were_spread_are_still_found_in_time_order()
    {
        var store = new DynamoDbAuditEventStore(_database);
        await store.InitializeAsync(None);
        // As the release before the sharding wrote them: every event in partition "audit".
        var old = Enumerable.Range(0, 5).Select(i => Event($"old{i}", "user.login", Day1.AddMinutes(i * 2))).ToList();
        foreach (var e in old)
        {
            await _database.Client.PutItemAsync(new PutItemRequest
            {
                TableName = _database.TableName,
                Item = new()
                {
                    [DynamoDbDatabase.PartitionKey] = new() { S = "audit" },
                    [DynamoDbDatabase.SortKey] = new() { S = e.Time.ToUnixTimeMilliseconds().ToString("D16", CultureInfo.InvariantCulture) + "#" + e.Id },
                    ["T"] = new() { S = e.Type },
                    ["J"] = new() { S = System.Text.Json.JsonSerializer.Serialize(e) },
                },
            });
        }

        var recent = Enumerable.Range(0, 5).Select(i => Event($"new{i}", "user.login", Day1.AddMinutes(i * 2 + 1))).ToList();
        await store.AppendAsync(recent, None);

        var all = await store.SearchAsync(new AuditQuery { From = Day1, To = Day1.AddDays(1), Limit = 100 }, None);
        var firstFour = await store.SearchAsync(new AuditQuery { From = Day1, To = Day1.AddDays(1), Limit = 4 }, None);

        Assert.Equal(old.Concat(recent).OrderBy(e => e.Time).Select(e => e.Id), all.Select(e => e.Id));
        Assert.Equal(["old0", "new0", "old1", "new1"], firstFour.Select(e => e.Id));
    }

    private static AuditEvent Event(string id, string type, DateTimeOffset time) => new()
    {
        Id = id,
        Type = type,
        Code = "T0000I",
        Time = time,
        Json = $$"""{"id":"{{id}}"}""",
    };
}
