using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Resilience;
using GcsObject = Google.Apis.Storage.v1.Data.Object;
using RetryOptions = Teleport.Orleans.Backends.Core.Resilience.RetryOptions;

namespace Teleport.Orleans.Backends.Gcs.Recordings;

/// <summary>
/// Session recordings as Google Cloud Storage objects <c>PREFIX/SESSION.tar</c> (Teleport's names). An upload is
/// conditional on no object existing (<c>ifGenerationMatch=0</c>), so a stored recording is never replaced; the
/// SHA-256 in the object's metadata tells a repeated upload of the same bytes (accepted) from other bytes (refused).
/// Reads stream the object from an offset with a ranged GET.
/// </summary>
public sealed partial class GcsRecordingStore : IRecordingStore, IDisposable
{
    public const string BackendName = "gcs";

    private const string HashMetadata = "sha256";

    private readonly GcsLocation _location;
    private readonly RecordingObjectNames _names;
    private readonly StorageClient _client;
    private readonly TransientRetry _retry;
    private readonly ILogger _logger;

    public GcsRecordingStore(GcsLocation location, ILogger? logger = null, RetryOptions? retry = null)
    {
        _location = location;
        _names = new RecordingObjectNames(location.Prefix);
        var builder = new StorageClientBuilder();
        if (location.Endpoint is not null)
        {
            builder.BaseUri = location.Endpoint.TrimEnd('/') + "/storage/v1/";
            builder.UnauthenticatedAccess = true;
        }
        else if (location.CredentialsPath is not null)
        {
            builder.GoogleCredential = ServiceAccountKey(location.CredentialsPath);
        }

        _client = builder.Build();
        _logger = logger ?? NullLogger.Instance;
        _retry = new TransientRetry(BackendName, IsTransient, retry, _logger);
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        GoogleApiException { HttpStatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout } => true,
        GoogleApiException { HttpStatusCode: >= HttpStatusCode.InternalServerError } => true,
        GoogleApiException { InnerException: HttpRequestException or IOException or SocketException } => true,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync("initialize", token => _client.GetBucketAsync(_location.Bucket, cancellationToken: token), cancellationToken);
            return;
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw Denied("storage.buckets.get", ex);
        }

        try
        {
            await _retry.ExecuteAsync("create-bucket", token => _client.CreateBucketAsync(_location.ProjectId, _location.Bucket, cancellationToken: token), cancellationToken);
            LogBucketCreated(_location.Bucket, _location.ProjectId);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.Conflict)
        {
            // Another auth server created it first, or the name is taken by another project: the first upload tells.
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw Denied("storage.buckets.create", ex);
        }
    }

    public async Task UploadAsync(string sessionId, Stream recording, CancellationToken cancellationToken)
    {
        var name = _names.NameOf(sessionId);
        await using var spool = await SpooledRecording.CreateAsync(recording, cancellationToken);
        var hash = spool.Sha256;
        try
        {
            await _retry.ExecuteAsync("upload", token =>
            {
                var target = new GcsObject
                {
                    Bucket = _location.Bucket,
                    Name = name,
                    ContentType = "application/x-tar",
                    Metadata = new Dictionary<string, string> { [HashMetadata] = hash },
                };
                // Generation 0 is "no live object": GCS refuses the write with 412 when the name is taken.
                return _client.UploadObjectAsync(target, spool.Rewind(), new UploadObjectOptions { IfGenerationMatch = 0 }, token);
            }, cancellationToken);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.PreconditionFailed)
        {
            var stored = await _retry.ExecuteAsync("head", token => _client.GetObjectAsync(_location.Bucket, name, cancellationToken: token), cancellationToken);
            if (stored.Metadata is null || !stored.Metadata.TryGetValue(HashMetadata, out var storedHash) || storedHash != hash)
            {
                throw new RecordingConflictException(sessionId);
            }
        }
    }

    public Task<Stream?> DownloadAsync(string sessionId, CancellationToken cancellationToken) => DownloadFromAsync(sessionId, 0, cancellationToken);

    public Task<Stream?> DownloadFromAsync(string sessionId, long offset, CancellationToken cancellationToken)
    {
        // The media URL of the object, read through the client's own authenticated HTTP client so that the body
        // streams to the caller instead of being copied whole first.
        var url = $"{_client.Service.BaseUri}b/{Uri.EscapeDataString(_location.Bucket)}/o/{Uri.EscapeDataString(_names.NameOf(sessionId))}?alt=media";
        return _retry.ExecuteAsync<Stream?>("download", async token =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            var response = await _client.Service.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                    return await response.Content.ReadAsStreamAsync(token);
                case HttpStatusCode.NotFound:
                    response.Dispose();
                    return null;
                case HttpStatusCode.RequestedRangeNotSatisfiable:
                    // The object exists and ends before the offset.
                    response.Dispose();
                    return new MemoryStream([], writable: false);
                default:
                    using (response)
                    {
                        throw new GoogleApiException(BackendName, $"GET {url} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}")
                        {
                            HttpStatusCode = response.StatusCode,
                        };
                    }
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken) =>
        _retry.ExecuteAsync<IReadOnlyList<RecordingInfo>>("list", async token =>
        {
            var found = new List<RecordingInfo>();
            await foreach (var item in _client.ListObjectsAsync(_location.Bucket, _names.ListPrefix).WithCancellation(token))
            {
                if (_names.SessionOf(item.Name) is { } sessionId)
                {
                    found.Add(new RecordingInfo(sessionId, (long)(item.Size ?? 0), item.TimeCreatedDateTimeOffset ?? DateTimeOffset.UtcNow));
                }
            }

            return [.. found.OrderBy(r => r.SessionId, StringComparer.Ordinal)];
        }, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>Teleport's credentialsPath: a service-account key file (JSON).</summary>
    private static GoogleCredential ServiceAccountKey(string path)
    {
        try
        {
            return CredentialFactory.FromFile<ServiceAccountCredential>(path).ToGoogleCredential();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException or Newtonsoft.Json.JsonException)
        {
            throw new BackendSetupException($"audit_sessions_uri: credentialsPath '{path}' is not a readable Google service-account key file ({ex.Message})", ex);
        }
    }

    private BackendSetupException Denied(string permission, GoogleApiException exception) =>
        new($"Google Cloud Storage refused {permission} on bucket '{_location.Bucket}' ({(int)exception.HttpStatusCode}: {exception.Error?.Message ?? exception.Message}); " +
            $"grant the credentials {permission} (e.g. the Storage Admin role on project '{_location.ProjectId}') or create the bucket beforehand",
            exception);
}
