using System.Web;
using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.Configuration;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>
/// <c>teleport.storage</c> for the Firestore backend, with Teleport's keys: <c>project_id</c>, <c>collection_name</c>,
/// <c>credentials_path</c>, <c>endpoint</c>, <c>disable_expired_document_purge</c>,
/// <c>purge_expired_documents_poll_interval</c>, <c>retry_period</c>, <c>audit_retention_period</c> (a year); audit events in
/// <c>firestore://COLLECTION?projectID=&amp;endpoint=&amp;credentialsPath=&amp;eventRetentionPeriod=</c> (default: the
/// collection <c>COLLECTION_NAME-events</c> beside the state).
/// </summary>
internal static class FirestoreStorageMapper
{
    private const string Scheme = "firestore://";

    public static StorageOptions Map(StorageConfig storage)
    {
        var state = Checked("teleport.storage", new FirestoreOptions
        {
            ProjectId = Required(storage, "project_id"),
            CollectionName = Required(storage, "collection_name"),
            CredentialsPath = CredentialsPath("teleport.storage.credentials_path", Text(storage, "credentials_path")),
            Endpoint = string.IsNullOrEmpty(storage.Endpoint) ? null : storage.Endpoint,
            DisableExpiredDocumentPurge = Bool("teleport.storage.disable_expired_document_purge", Text(storage, "disable_expired_document_purge")) ?? false,
            PurgeInterval = Duration("teleport.storage.purge_expired_documents_poll_interval", Text(storage, "purge_expired_documents_poll_interval")) ?? TimeSpan.FromMinutes(1),
            RetryPeriod = Duration("teleport.storage.retry_period", Text(storage, "retry_period")) ?? TimeSpan.FromSeconds(10),
        });

        // Teleport's default keeps events a year; eventRetentionPeriod in the URI wins over audit_retention_period.
        var audit = state with
        {
            CollectionName = state.CollectionName + "-events",
            EventRetention = StorageOptionsMapper.AuditRetention(storage) ?? StorageOptionsMapper.DefaultAuditRetention,
        };
        foreach (var uri in storage.AuditEventsUri)
        {
            audit = uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
                ? AuditCollection(uri, audit)
                : throw new ConfigurationException($"teleport.storage.audit_events_uri: {uri} is not supported with type firestore by this release; use firestore://COLLECTION or leave it unset");
        }

        return new StorageOptions
        {
            Kind = StorageKind.Firestore,
            Firestore = state,
            AuditFirestore = Checked("teleport.storage.audit_events_uri", audit),
            RecordingsDirectory = StorageOptionsMapper.RecordingsDirectory(storage),
        };
    }

    /// <summary>Teleport's query keys; the ones left out take the cluster-state collection's settings.</summary>
    private static FirestoreOptions AuditCollection(string uri, FirestoreOptions state)
    {
        const string Key = "teleport.storage.audit_events_uri";
        var rest = uri[Scheme.Length..];
        var collection = rest.Split('?')[0].TrimEnd('/');
        if (collection.Length == 0 || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new ConfigurationException($"{Key}: {uri} is not firestore://COLLECTION?projectID=PROJECT");
        }

        var query = HttpUtility.ParseQueryString(parsed.Query);
        var known = new[] { "projectID", "endpoint", "credentialsPath", "eventRetentionPeriod", "retryPeriod", "purgeInterval", "disableExpiredDocumentPurge" };
        foreach (var name in query.AllKeys)
        {
            if (name is null || !known.Contains(name, StringComparer.Ordinal))
            {
                throw new ConfigurationException($"{Key}: {uri}: unknown parameter '{name}'; Firestore takes {string.Join(", ", known)}");
            }
        }

        // Uri lower-cases the host; collection names are case-sensitive, so the name is taken as written.
        return state with
        {
            CollectionName = Uri.UnescapeDataString(collection),
            ProjectId = query["projectID"] ?? state.ProjectId,
            Endpoint = query["endpoint"] ?? state.Endpoint,
            CredentialsPath = query["credentialsPath"] is { } path ? CredentialsPath(Key + " credentialsPath", path) : state.CredentialsPath,
            EventRetention = Duration(Key + " eventRetentionPeriod", query["eventRetentionPeriod"]) ?? state.EventRetention,
            RetryPeriod = Duration(Key + " retryPeriod", query["retryPeriod"]) ?? state.RetryPeriod,
            PurgeInterval = Duration(Key + " purgeInterval", query["purgeInterval"]) ?? state.PurgeInterval,
            DisableExpiredDocumentPurge = Bool(Key + " disableExpiredDocumentPurge", query["disableExpiredDocumentPurge"]) ?? state.DisableExpiredDocumentPurge,
        };
    }

    private static string Required(StorageConfig storage, string key) =>
        Text(storage, key) is { Length: > 0 } value ? value : throw new ConfigurationException($"teleport.storage.{key}: type firestore needs it");

    /// <summary>A scalar key of the section; a list or map where a scalar belongs is refused.</summary>
    private static string? Text(StorageConfig storage, string key) =>
        !storage.Extra.TryGetValue(key, out var value) || value is null ? null
        : value as string ?? throw new ConfigurationException($"teleport.storage.{key}: expected a single value");

    private static string? CredentialsPath(string key, string? path) =>
        path is null || File.Exists(path) ? path : throw new ConfigurationException($"{key}: {path} does not exist (the service account's JSON key)");

    private static TimeSpan? Duration(string key, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return GoDuration.TryParse(text, out var value, out var error) && value > TimeSpan.Zero
            ? value
            : throw new ConfigurationException($"{key}: expected a positive duration such as 30s, 1m or 12h, got '{text}'{(error is null ? "" : ": " + error)}");
    }

    private static bool? Bool(string key, string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "yes" or "y" or "true" or "on" or "1" => true,
        "no" or "n" or "false" or "off" or "0" => false,
        _ => throw new ConfigurationException($"{key}: expected true or false, got '{text}'"),
    };

    private static FirestoreOptions Checked(string key, FirestoreOptions options)
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
