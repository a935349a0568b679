using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.DynamoDb;

/// <summary>
/// One DynamoDB table shared by the cluster-state, membership and audit stores. Every item has a string partition key
/// <c>PK</c> and sort key <c>SK</c>; each store keeps to its own partitions. The SDK's own retries are off so that every
/// retry goes through <see cref="TransientRetry"/>, which logs and counts it.
/// </summary>
public sealed partial class DynamoDbDatabase : IDisposable
{
    public const string BackendName = "dynamodb";
    public const string PartitionKey = "PK";
    public const string SortKey = "SK";

    /// <summary>The table's TTL attribute (unix seconds), Teleport's name for it: DynamoDB deletes items past it.</summary>
    public const string ExpiresAttribute = "Expires";

    private static readonly TimeSpan TableActiveTimeout = TimeSpan.FromMinutes(5);

    private readonly TransientRetry _retry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initialized = new(1, 1);
    private bool _ready;

    public DynamoDbDatabase(DynamoDbOptions options, ILogger? logger = null, RetryOptions? retry = null)
    {
        options.Validate();
        var config = new AmazonDynamoDBConfig { MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(20) };
        if (options.Endpoint is not null)
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        Client = options.Credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(options.Credentials, config);
        TableName = options.TableName;
        _logger = logger ?? NullLogger.Instance;
        _retry = new TransientRetry(BackendName, IsTransient, retry, _logger);
    }

    public IAmazonDynamoDB Client { get; }

    public string TableName { get; }

    /// <summary>Throttling, server faults and lost connections; a refused or malformed request is not retried.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ProvisionedThroughputExceededException or RequestLimitExceededException or InternalServerErrorException => true,
        AmazonServiceException { ErrorCode: "ThrottlingException" or "ServiceUnavailable" or "TransactionConflictException" } => true,
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or SocketException or TaskCanceledException } => true,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    public Task<T> RunAsync<T>(string operation, Func<IAmazonDynamoDB, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, token => action(Client, token), cancellationToken);

    /// <summary>
    /// Creates the table (on-demand capacity) when it is missing and waits until it is ACTIVE; a denied call stops the
    /// start with a message naming the DynamoDB permission the credentials lack.
    /// </summary>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        await _initialized.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await EnsureTableOnceAsync(cancellationToken);
                _ready = true;
            }
        }
        finally
        {
            _initialized.Release();
        }
    }

    private async Task EnsureTableOnceAsync(CancellationToken cancellationToken)
    {
        var status = await DescribeAsync(cancellationToken);
        if (status is null)
        {
            try
            {
                await RunAsync("create-table", (client, token) => client.CreateTableAsync(new CreateTableRequest
                {
                    TableName = TableName,
                    BillingMode = BillingMode.PAY_PER_REQUEST,
                    AttributeDefinitions = [new(PartitionKey, ScalarAttributeType.S), new(SortKey, ScalarAttributeType.S)],
                    KeySchema = [new(PartitionKey, KeyType.HASH), new(SortKey, KeyType.RANGE)],
                }, token), cancellationToken);
                LogTableCreated(TableName);
            }
            catch (ResourceInUseException)
            {
                // Another silo created it first.
            }
            catch (AmazonDynamoDBException ex) when (IsDenied(ex))
            {
                throw Denied("dynamodb:CreateTable", ex);
            }
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((status = await DescribeAsync(cancellationToken)) != TableStatus.ACTIVE)
        {
            if (waited.Elapsed > TableActiveTimeout)
            {
                throw new BackendSetupException($"DynamoDB table '{TableName}' is still {status} after {TableActiveTimeout.TotalMinutes} minutes");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        await EnsureTimeToLiveAsync(cancellationToken);
    }

    /// <summary>Turns on TTL over <see cref="ExpiresAttribute"/> unless it is on (or being turned on) already.</summary>
    private async Task EnsureTimeToLiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var described = await RunAsync("describe-ttl", (client, token) => client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = TableName }, token), cancellationToken);
            if (described.TimeToLiveDescription?.TimeToLiveStatus is { } status && (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING))
            {
                return;
            }
        }
        catch (AmazonDynamoDBException ex) when (IsDenied(ex))
        {
            throw Denied("dynamodb:DescribeTimeToLive", ex);
        }
        catch (AmazonServiceException ex) when ((ex.ErrorCode ?? "").Contains("UnknownOperation", StringComparison.Ordinal) || ex.Message.Contains("UnknownOperationException", StringComparison.Ordinal))
        {
            // A DynamoDB-compatible store without TTL (dynalite): items keep their Expires attribute, nothing deletes them.
            LogTimeToLiveUnsupported(TableName);
            return;
        }

        try
        {
            await RunAsync("update-ttl", (client, token) => client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = TableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = ExpiresAttribute, Enabled = true },
            }, token), cancellationToken);
            LogTimeToLiveEnabled(TableName, ExpiresAttribute);
        }
        catch (AmazonDynamoDBException ex) when (IsDenied(ex))
        {
            throw Denied("dynamodb:UpdateTimeToLive", ex);
        }
        catch (AmazonServiceException ex) when ((ex.ErrorCode ?? "").Contains("UnknownOperation", StringComparison.Ordinal))
        {
            LogTimeToLiveUnsupported(TableName);
        }
        catch (AmazonDynamoDBException ex) when (ex.ErrorCode == "ValidationException" && ex.Message.Contains("already enabled", StringComparison.OrdinalIgnoreCase))
        {
            // Another silo turned it on first.
        }
    }

    private async Task<TableStatus?> DescribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await RunAsync("describe-table", (client, token) => client.DescribeTableAsync(TableName, token), cancellationToken);
            return response.Table.TableStatus;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
        catch (AmazonDynamoDBException ex) when (IsDenied(ex))
        {
            throw Denied("dynamodb:DescribeTable", ex);
        }
    }

    internal static bool IsDenied(AmazonServiceException exception) =>
        exception.ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "MissingAuthenticationTokenException";

    private BackendSetupException Denied(string permission, AmazonServiceException exception) =>
        new($"DynamoDB refused {permission} on table '{TableName}' ({exception.ErrorCode}: {exception.Message}); grant the credentials {permission} or create the table beforehand", exception);

    /// <summary>
    /// Writes a batch of at most 25 requests, again with the items DynamoDB left unprocessed (throttling) until none
    /// is left; each such round counts as a retry.
    /// </summary>
    public async Task BatchWriteAsync(string operation, List<WriteRequest> requests, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, List<WriteRequest>> { [TableName] = requests };
        for (var round = 1; pending.Count > 0 && pending.Values.Sum(r => r.Count) > 0; round++)
        {
            var response = await RunAsync(operation, (client, token) => client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, token), cancellationToken);
            pending = response.UnprocessedItems ?? [];
            if (pending.Count > 0)
            {
                BackendMetrics.Retries.Add(1, new System.Diagnostics.TagList { { "backend", BackendName }, { "operation", operation } });
                LogUnprocessed(operation, pending.Values.Sum(r => r.Count));
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * Math.Pow(2, round), 2000)), cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _initialized.Dispose();
    }
}
