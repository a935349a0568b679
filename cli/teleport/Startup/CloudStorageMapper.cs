using System.Web;
using Teleport.Orleans.Backends.DynamoDb;
using Teleport.Orleans.Backends.Gcs;
using Teleport.Orleans.Backends.S3;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// <c>teleport.storage</c> for the DynamoDB and Azure backends and the s3://, gs:// and azblob:// recording stores, with
/// Teleport's keys: dynamodb <c>region</c>, <c>table_name</c>, <c>endpoint</c>, <c>audit_retention_period</c>; audit_events_uri
/// <c>dynamodb://TABLE?region=&amp;endpoint=</c>; azure <c>conn_string</c> (or AZURE_STORAGE_CONNECTION_STRING).
/// </summary>
internal static class CloudStorageMapper
{
    public const string AzureConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    public static bool IsCloudRecordings(string? uri) =>
        uri is not null && (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("gs://", StringComparison.OrdinalIgnoreCase)
            || uri.StartsWith("azblob://", StringComparison.OrdinalIgnoreCase));

    public static StorageOptions MapDynamoDb(StorageConfig storage)
    {
        if (string.IsNullOrEmpty(storage.TableName))
        {
            throw new ConfigurationException("teleport.storage.table_name: type dynamodb needs it");
        }

        var retention = StorageOptionsMapper.AuditRetention(storage) ?? StorageOptionsMapper.DefaultAuditRetention;
        var options = Checked("teleport.storage", new DynamoDbOptions { TableName = storage.TableName, Region = storage.Region, Endpoint = storage.Endpoint, EventRetention = retention });
        DynamoDbOptions? audit = null;
        foreach (var uri in storage.AuditEventsUri)
        {
            audit = uri.StartsWith("dynamodb://", StringComparison.OrdinalIgnoreCase)
                ? AuditTable(uri, options)
                : throw new ConfigurationException($"teleport.storage.audit_events_uri: {uri} is not supported with type dynamodb by this release; use dynamodb://TABLE or leave it unset");
        }

        return new StorageOptions
        {
            Kind = StorageKind.DynamoDb,
            DynamoDb = options,
            AuditDynamoDb = audit,
            RecordingsDirectory = StorageOptionsMapper.RecordingsDirectory(storage),
        };
    }

    public static StorageOptions MapAzure(StorageConfig storage)
    {
        foreach (var uri in storage.AuditEventsUri)
        {
            throw new ConfigurationException($"teleport.storage.audit_events_uri: {uri}: with type azure this release keeps audit events in an Azure Table of the account; leave it unset");
        }

        return new StorageOptions
        {
            Kind = StorageKind.Azure,
            AzureConnectionString = AzureConnectionString(storage)
                ?? throw new ConfigurationException($"teleport.storage.conn_string: type azure needs the storage account's connection string (or {AzureConnectionStringVariable})"),
            RecordingsDirectory = StorageOptionsMapper.RecordingsDirectory(storage),
        };
    }

    public static StorageOptions MapRecordings(StorageConfig storage, StorageOptions options)
    {
        var uri = storage.AuditSessionsUri!;
        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return options with { RecordingsS3 = S3Location.Parse(uri) };
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException("teleport.storage." + ex.Message);
            }
        }

        if (uri.StartsWith("gs://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return options with { RecordingsGcs = GcsLocation.Parse(uri) };
            }
            catch (ArgumentException ex)
            {
                throw new ConfigurationException("teleport.storage." + ex.Message);
            }
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.AbsolutePath.Trim('/') is not { Length: >= 3 and <= 63 } container
            || !container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new ConfigurationException($"teleport.storage.audit_sessions_uri: {uri} is not azblob://HOST/CONTAINER with a container name of 3-63 lower-case letters, digits and '-'");
        }

        return options with
        {
            RecordingsAzureContainer = container,
            AzureConnectionString = options.AzureConnectionString ?? AzureConnectionString(storage)
                ?? throw new ConfigurationException($"teleport.storage.audit_sessions_uri: {uri} needs the storage account's connection string in {AzureConnectionStringVariable}"),
        };
    }

    private static string? AzureConnectionString(StorageConfig storage) =>
        !string.IsNullOrEmpty(storage.ConnString) ? storage.ConnString
        : Environment.GetEnvironmentVariable(AzureConnectionStringVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    private static DynamoDbOptions AuditTable(string uri, DynamoDbOptions state)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            throw new ConfigurationException($"teleport.storage.audit_events_uri: {uri} is not dynamodb://TABLE?region=&endpoint=");
        }

        var query = HttpUtility.ParseQueryString(parsed.Query);
        // Uri lower-cases the host; DynamoDB table names are case-sensitive, so the table is taken as written.
        var table = uri["dynamodb://".Length..].Split('?', '/')[0];
        return Checked("teleport.storage.audit_events_uri", new DynamoDbOptions
        {
            TableName = table,
            Region = query["region"] ?? state.Region,
            Endpoint = query["endpoint"] ?? state.Endpoint,
            EventRetention = state.EventRetention,
        });
    }

    private static DynamoDbOptions Checked(string key, DynamoDbOptions options)
    {
        try
        {
            options.Validate();
            return options;
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"{key}: {ex.Message}");
        }
    }
}
