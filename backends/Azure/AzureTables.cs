using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Azure;

/// <summary>
/// One Azure Storage account's Table service (<c>conn_string</c>) for the cluster-state and audit stores: table
/// creation at start, and transient-failure retries. The SDK's own retries are off so that every retry is logged and
/// counted by <see cref="TransientRetry"/>.
/// </summary>
public sealed class AzureTables
{
    public const string BackendName = "azure";

    private readonly TableServiceClient _service;
    private readonly TransientRetry _retry;

    public AzureTables(string connectionString, ILogger? logger = null, RetryOptions? retry = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("azure storage needs a connection string (storage conn_string or AZURE_STORAGE_CONNECTION_STRING)");
        }

        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
        try
        {
            _service = new TableServiceClient(connectionString, options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"azure storage connection string is malformed: {ex.Message}", ex);
        }

        _retry = new TransientRetry(BackendName, IsTransient, retry, logger ?? NullLogger.Instance);
    }

    /// <summary>Throttling (503), server busy or faulting (5xx), timeouts and lost connections.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or >= 500 } => true,
        RequestFailedException { InnerException: HttpRequestException or IOException or SocketException } => true,
        AggregateException { InnerExceptions: [var inner] } => IsTransient(inner),
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    public Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, action, cancellationToken);

    /// <summary>The table, created when missing; a refused creation names the permission it needs.</summary>
    public async Task<TableClient> EnsureTableAsync(string tableName, CancellationToken cancellationToken)
    {
        var table = _service.GetTableClient(tableName);
        try
        {
            await RunAsync("create-table", token => table.CreateIfNotExistsAsync(token), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized)
        {
            // Create-if-missing needs the create permission even when the table exists: credentials that may only
            // read and write a table an administrator created beforehand are enough.
            if (await ExistsAsync(tableName, cancellationToken))
            {
                return table;
            }

            throw new BackendSetupException(
                $"Azure Storage refused to create table '{tableName}' ({ex.ErrorCode}: {ex.Message.Split('\n')[0]}); grant the credentials table create permission (a SAS with 'c' on the Table service, or the 'Storage Table Data Contributor' role) or create the table beforehand",
                ex);
        }

        return table;
    }

    public TableClient Table(string tableName) => _service.GetTableClient(tableName);

    private async Task<bool> ExistsAsync(string tableName, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync("find-table", async token =>
            {
                await foreach (var _ in _service.QueryAsync(t => t.Name == tableName, cancellationToken: token))
                {
                    return true;
                }

                return false;
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized)
        {
            return false;
        }
    }
}
