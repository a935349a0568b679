using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.DynamoDb.Storage;
using Teleport.Orleans.Backends.Tests.Support;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbSetupTests(DynaliteServer server)
{
    [Fact]
    public async Task The_first_start_creates_the_table_and_waits_until_it_is_active()
    {
        var table = DynaliteServer.UniqueTable();
        using var database = Dynalite.Database(server, table);

        await new DynamoDbClusterStateStore(database).InitializeAsync(CancellationToken.None);

        var described = await database.Client.DescribeTableAsync(table);
        Assert.Equal("ACTIVE", described.Table.TableStatus.Value);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public void A_bad_table_name_is_refused_naming_the_key(string table)
    {
        var error = Assert.Throws<ArgumentException>(() => Dynalite.Database(server, table));

        Assert.Contains("table_name", error.Message);
    }

    [Fact]
    public async Task A_dead_server_is_retried_logged_and_counted_then_the_error_is_thrown()
    {
        using var counters = new CounterRecorder(DynamoDbDatabase.BackendName);
        var logger = new ListLogger();
        var retry = new RetryOptions { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        using var database = new DynamoDbDatabase(Dynalite.Options($"http://127.0.0.1:{FreePorts.Take(1)[0]}"), logger, retry);

        await Assert.ThrowsAnyAsync<Exception>(() => new DynamoDbClusterStateStore(database).ReadAsync("user", "alice", CancellationToken.None));

        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("dynamodb read failed transiently")));
        Assert.True(counters.Total("teleport.backend.retries") >= 2);
        Assert.True(counters.Total("teleport.backend.failures") >= 1);
    }

    [Fact]
    public void Throttling_and_server_faults_are_transient_and_refusals_are_not()
    {
        Assert.True(DynamoDbDatabase.IsTransient(new ProvisionedThroughputExceededException("slow down")));
        Assert.True(DynamoDbDatabase.IsTransient(new AmazonDynamoDBExceptionWithCode("ThrottlingException")));
        Assert.False(DynamoDbDatabase.IsTransient(new ConditionalCheckFailedException("stale")));
        Assert.False(DynamoDbDatabase.IsTransient(new AmazonDynamoDBExceptionWithCode("AccessDeniedException")));
    }

    private sealed class AmazonDynamoDBExceptionWithCode : Amazon.DynamoDBv2.AmazonDynamoDBException
    {
        public AmazonDynamoDBExceptionWithCode(string code)
            : base(code)
        {
            ErrorCode = code;
        }
    }
}
