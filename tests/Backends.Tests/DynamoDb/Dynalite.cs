using Amazon.Runtime;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

/// <summary>Databases over a dynalite server, each on a table no other test uses.</summary>
internal static class Dynalite
{
    public static DynamoDbDatabase Database(DynaliteServer server, string? table = null, RetryOptions? retry = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        new(Options(server.Endpoint, table), logger, retry);

    public static DynamoDbOptions Options(string endpoint, string? table = null) => new()
    {
        TableName = table ?? DynaliteServer.UniqueTable(),
        Region = "us-east-1",
        Endpoint = endpoint,
        Credentials = new BasicAWSCredentials("test", "test"),
    };
}
