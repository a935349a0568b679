namespace Teleport.Orleans.Backends.Firestore;

/// <summary>
/// One Firestore collection and how to reach it, with Teleport's keys: <c>project_id</c>, <c>collection_name</c>,
/// <c>credentials_path</c>, <c>endpoint</c> (the emulator: no auth, no TLS), <c>disable_expired_document_purge</c>,
/// <c>purge_expired_documents_poll_interval</c> and <c>retry_period</c>.
/// </summary>
public sealed record FirestoreOptions
{
    public const string DefaultHost = "https://firestore.googleapis.com";

    public required string ProjectId { get; init; }

    public required string CollectionName { get; init; }

    /// <summary>A service-account JSON key; null takes Google's application default credentials.</summary>
    public string? CredentialsPath { get; init; }

    /// <summary><c>host:port</c> (or a URL) of the Firestore emulator; null is Google's service, over TLS with credentials.</summary>
    public string? Endpoint { get; init; }

    public bool DisableExpiredDocumentPurge { get; init; }

    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest pause between retries of a failed call, and before the purge tries again after a failure.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long audit events are kept before the purge deletes them; null keeps them for ever.</summary>
    public TimeSpan? EventRetention { get; init; }

    /// <summary>The URL every call goes to: the emulator's over plain HTTP, or Google's.</summary>
    public Uri BaseUri => Endpoint is null ? new Uri(DefaultHost)
        : new Uri(Endpoint.Contains("://", StringComparison.Ordinal) ? Endpoint : "http://" + Endpoint);

    /// <summary>Throws with a message naming the key when the options cannot work.</summary>
    public void Validate()
    {
        // Google's project ids are 6-30 of [a-z0-9-]; domain-scoped ones add "domain:". The emulator takes any id.
        if (string.IsNullOrEmpty(ProjectId) || !ProjectId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_'))
        {
            throw new ArgumentException($"firestore project_id '{ProjectId}' is invalid: use the project's id (letters, digits, '-')");
        }

        // Firestore's own rules for a collection id: no '/', not '.' or '..', not __name__-shaped, at most 1500 bytes.
        if (string.IsNullOrEmpty(CollectionName) || CollectionName.Contains('/', StringComparison.Ordinal) || CollectionName is "." or ".."
            || (CollectionName.StartsWith("__", StringComparison.Ordinal) && CollectionName.EndsWith("__", StringComparison.Ordinal))
            || System.Text.Encoding.UTF8.GetByteCount(CollectionName) > 1500)
        {
            throw new ArgumentException($"firestore collection_name '{CollectionName}' is invalid: use a name without '/' that is not '.', '..' or '__...__'");
        }

        if (Endpoint is not null && (!Uri.TryCreate(Endpoint.Contains("://", StringComparison.Ordinal) ? Endpoint : "http://" + Endpoint, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/"))
        {
            throw new ArgumentException($"firestore endpoint '{Endpoint}' is not host:port (the emulator's address)");
        }

        if (PurgeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("firestore purge_expired_documents_poll_interval must be positive");
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("firestore retry_period must be positive");
        }

        if (EventRetention is { } retention && retention <= TimeSpan.Zero)
        {
            throw new ArgumentException("firestore eventRetentionPeriod must be positive");
        }
    }
}
