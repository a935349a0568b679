using System.Net;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>Maps <c>teleport.storage</c> and <c>advertise_ip</c> onto the auth service's backend options.</summary>
internal static class StorageOptionsMapper
{
    private static readonly string[] PostgresSchemes = ["postgresql://", "postgres://"];

    /// <summary>Teleport's key for how long audit events are kept where the store expires them (DynamoDB, Firestore).</summary>
    public const string AuditRetentionKey = "audit_retention_period";

    /// <summary>Teleport's default audit retention: a year.</summary>
    public static readonly TimeSpan DefaultAuditRetention = TimeSpan.FromDays(365);

    public static StorageOptions Map(StorageConfig storage)
    {
        if (storage.Type is not (StorageType.DynamoDb or StorageType.Firestore) && storage.Extra.ContainsKey(AuditRetentionKey))
        {
            throw new ConfigurationException(
                $"teleport.storage.{AuditRetentionKey}: with type {storage.Type.ToString().ToLowerInvariant()} this release keeps audit events until they are deleted; the retention period applies to dynamodb and firestore audit events");
        }

        return MapBackend(storage);
    }

    /// <summary><c>audit_retention_period</c> (a Go duration such as 8760h), or null when absent.</summary>
    internal static TimeSpan? AuditRetention(StorageConfig storage)
    {
        if (!storage.Extra.TryGetValue(AuditRetentionKey, out var value) || value is null)
        {
            return null;
        }

        return value is string text && GoDuration.TryParse(text, out var retention, out _) && retention > TimeSpan.Zero
            ? retention
            : throw new ConfigurationException($"teleport.storage.{AuditRetentionKey}: expected a positive duration such as 2160h (90 days) or 8760h (a year), got '{value}'");
    }

    private static StorageOptions MapBackend(StorageConfig storage) => WithRecordings(storage, storage.Type switch
    {
        StorageType.Sqlite => new StorageOptions { SqliteDirectory = storage.Path, RecordingsDirectory = RecordingsDirectory(storage) },
        StorageType.PostgreSql => new StorageOptions
        {
            Kind = StorageKind.PostgreSql,
            ConnectionString = Required(storage.ConnString, "conn_string", "postgresql"),
            AuditConnectionString = PostgresAuditUri(storage),
            RecordingsDirectory = RecordingsDirectory(storage),
        },
        StorageType.Etcd => MapEtcd(storage),
        StorageType.DynamoDb => CloudStorageMapper.MapDynamoDb(storage),
        StorageType.Azure => CloudStorageMapper.MapAzure(storage),
        StorageType.Firestore => FirestoreStorageMapper.Map(storage),
        _ => throw new ConfigurationException(
            $"teleport.storage.type: {storage.Type.ToString().ToLowerInvariant()} is not supported by this release; use sqlite, postgresql, etcd, dynamodb, azure or firestore"),
    });

    /// <summary>s3://, gs:// and azblob:// recordings work with every backend; file:// was mapped with the backend.</summary>
    private static StorageOptions WithRecordings(StorageConfig storage, StorageOptions options) =>
        CloudStorageMapper.IsCloudRecordings(storage.AuditSessionsUri) ? CloudStorageMapper.MapRecordings(storage, options) : options;

    private static StorageOptions MapEtcd(StorageConfig storage)
    {
        if (storage.Peers.Count == 0)
        {
            throw new ConfigurationException("teleport.storage.peers: type etcd needs at least one peer URL");
        }

        if (storage.AuditEventsUri.Count > 0)
        {
            throw new ConfigurationException("teleport.storage.audit_events_uri: with type etcd this release keeps audit events in etcd; leave it unset");
        }

        return new StorageOptions
        {
            Kind = StorageKind.Etcd,
            Peers = storage.Peers,
            Prefix = string.IsNullOrEmpty(storage.Prefix) ? "/teleport" : storage.Prefix,
            RecordingsDirectory = RecordingsDirectory(storage),
        };
    }

    /// <summary>advertise_ip, or loopback: a pool spread over hosts must say where each silo is reached.</summary>
    public static IPAddress AdvertiseAddress(string? advertiseIp)
    {
        if (string.IsNullOrEmpty(advertiseIp))
        {
            return IPAddress.Loopback;
        }

        var host = advertiseIp.Trim('[', ']');
        return IPAddress.TryParse(host, out var ip)
            ? ip
            : Dns.GetHostAddresses(host).FirstOrDefault() ?? throw new ConfigurationException($"teleport.advertise_ip: cannot resolve {advertiseIp}");
    }

    private static string Required(string? value, string key, string type) =>
        string.IsNullOrEmpty(value) ? throw new ConfigurationException($"teleport.storage.{key}: type {type} needs it") : value;

    /// <summary>A postgresql:// URI puts audit events in that database; without one they stay beside the cluster state.</summary>
    private static string? PostgresAuditUri(StorageConfig storage)
    {
        foreach (var uri in storage.AuditEventsUri)
        {
            if (!PostgresSchemes.Any(s => uri.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ConfigurationException($"teleport.storage.audit_events_uri: {uri} is not supported with type postgresql by this release; use a postgresql:// URI or leave it unset");
            }
        }

        return storage.AuditEventsUri.FirstOrDefault();
    }

    internal static string? RecordingsDirectory(StorageConfig storage)
    {
        if (string.IsNullOrEmpty(storage.AuditSessionsUri) || CloudStorageMapper.IsCloudRecordings(storage.AuditSessionsUri))
        {
            return null;
        }

        return Uri.TryCreate(storage.AuditSessionsUri, UriKind.Absolute, out var uri) && uri.IsFile
            ? uri.LocalPath
            : throw new ConfigurationException($"teleport.storage.audit_sessions_uri: {storage.AuditSessionsUri} is not supported by this release; use file:///DIRECTORY, s3://BUCKET, gs://BUCKET?projectID=PROJECT, azblob://HOST/CONTAINER or leave it unset");
    }
}
