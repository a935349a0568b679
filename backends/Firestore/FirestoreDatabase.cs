using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Firestore.Client;
using Teleport.Orleans.Backends.Firestore.Purge;

namespace Teleport.Orleans.Backends.Firestore;

/// <summary>
/// One Firestore collection shared by the stores that keep documents in it, in Teleport's document shape: <c>key</c>
/// (bytes), <c>value</c> (bytes), <c>timestamp</c> and <c>expires</c> (Unix seconds; 0 never), <c>revision</c>; the
/// document id is the key in URL-safe base64. Calls go through <see cref="TransientRetry"/>; Firestore creates a
/// collection with its first document, so starting only checks that the project's database answers, and then runs the
/// purge of expired documents (<see cref="ExpiredDocumentPurge"/>) unless it is disabled.
/// </summary>
public sealed partial class FirestoreDatabase : IDisposable
{
    public const string BackendName = "firestore";

    /// <summary>Firestore's limit on the writes of one commit.</summary>
    public const int MaxWritesPerCommit = 500;

    private readonly TransientRetry _retry;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initialized = new(1, 1);
    private readonly ExpiredDocumentPurge? _purge;
    private bool _ready;

    public FirestoreDatabase(FirestoreOptions options, ILogger? logger = null, RetryOptions? retry = null)
    {
        options.Validate();
        Options = options;
        Client = new FirestoreClient(options);
        Collection = options.CollectionName;
        _logger = logger ?? NullLogger.Instance;
        _retry = new TransientRetry(BackendName, IsTransient, retry ?? new RetryOptions { MaxDelay = options.RetryPeriod }, _logger);
        _purge = options.DisableExpiredDocumentPurge ? null : new ExpiredDocumentPurge(this, options.PurgeInterval, options.RetryPeriod, _logger);
    }

    public FirestoreOptions Options { get; }

    public FirestoreClient Client { get; }

    public string Collection { get; }

    /// <summary>Unavailable, overloaded, aborted (contention) or timed-out calls and lost connections; a refusal is not retried.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        FirestoreException { Status: "UNAVAILABLE" or "ABORTED" or "RESOURCE_EXHAUSTED" or "DEADLINE_EXCEEDED" or "INTERNAL" } => true,
        FirestoreException { HttpStatus: HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError } => true,
        HttpRequestException or IOException or SocketException or TaskCanceledException => true,
        _ => false,
    };

    public Task<T> RunAsync<T>(string operation, Func<FirestoreClient, CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, token => action(Client, token), cancellationToken);

    /// <summary>The document id of a key: its UTF-8 bytes in URL-safe base64 without padding, as Teleport names them.</summary>
    public static string DocumentId(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The full name of the document that holds <paramref name="key"/> in this collection.</summary>
    public string DocumentName(string key) => Client.DocumentName(Collection, DocumentId(key));

    /// <summary>
    /// Checks once that the project's database answers a query on the collection, then starts the purge; a failure
    /// stops the start with a <see cref="BackendSetupException"/> that says what to fix.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initialized.WaitAsync(cancellationToken);
        try
        {
            if (!_ready)
            {
                await CheckAccessAsync(cancellationToken);
                _purge?.Start();
                _ready = true;
            }
        }
        finally
        {
            _initialized.Release();
        }
    }

    private async Task CheckAccessAsync(CancellationToken cancellationToken)
    {
        var where = Options.Endpoint is null ? $"Firestore (project '{Options.ProjectId}')" : $"the Firestore emulator at {Options.BaseUri.Authority}";
        try
        {
            // One attempt, not retried: a start that cannot reach Firestore says so at once, without retry warnings.
            await Client.RunQueryAsync(new() { ["from"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["collectionId"] = Collection }), ["limit"] = 1 }, cancellationToken);
            LogReady(Collection, where);
        }
        catch (FirestoreException ex) when (ex.Status is "PERMISSION_DENIED")
        {
            throw new BackendSetupException($"{where} refused access to collection '{Collection}' ({ex.Detail}); grant the service account the role roles/datastore.user (permissions datastore.entities.*)", ex);
        }
        catch (FirestoreException ex) when (ex.Status is "UNAUTHENTICATED")
        {
            throw new BackendSetupException($"{where} did not accept the credentials ({ex.Detail}); check credentials_path", ex);
        }
        catch (FirestoreException ex) when (ex.Status is "NOT_FOUND" or "FAILED_PRECONDITION")
        {
            throw new BackendSetupException($"{where} has no usable database '(default)' ({ex.Detail}); create it in Native mode (gcloud firestore databases create)", ex);
        }
        catch (FirestoreException ex)
        {
            throw new BackendSetupException($"{where} refused the first query on collection '{Collection}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new BackendSetupException($"{where} is unreachable ({ex.Message}){(Options.Endpoint is null ? "" : "; start the emulator or fix endpoint")}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or System.Text.Json.JsonException or ArgumentException)
        {
            // Google.Apis.Auth: no application default credentials, or a key file it cannot read.
            throw new BackendSetupException($"could not load Google credentials{(Options.CredentialsPath is null ? " (application default credentials)" : $" from credentials_path '{Options.CredentialsPath}'")}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _purge?.Dispose();
        Client.Dispose();
        _initialized.Dispose();
    }
}
