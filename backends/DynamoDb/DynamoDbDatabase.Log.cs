using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.DynamoDb;

public sealed partial class DynamoDbDatabase
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created DynamoDB table {TableName}")]
    private partial void LogTableCreated(string tableName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DynamoDB left {Count} items of {Operation} unprocessed (throttled); writing them again")]
    private partial void LogUnprocessed(string operation, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Turned on TTL for DynamoDB table {Table} over attribute {Attribute}")]
    private partial void LogTimeToLiveEnabled(string table, string attribute);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DynamoDB endpoint of table {Table} does not support TTL: expired audit events are kept")]
    private partial void LogTimeToLiveUnsupported(string table);
}
