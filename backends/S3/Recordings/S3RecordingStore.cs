using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.S3.Recordings;

/// <summary>
/// Session recordings as S3 objects <c>PREFIX/SESSION.tar</c>. An upload is spooled to a temp file first so that its
/// SHA-256 is known before anything is sent; the hash goes into the object's metadata, and uploading a stored id again
/// compares hashes: the same bytes succeed, others are refused. A recording is one PutObject, so it is whole or absent.
/// The PutObject is conditional (<c>If-None-Match: *</c>, which S3 honours since 2024), so an upload racing another
/// of the same session cannot replace it; a store that answers NotImplemented gets plain uploads from then on, guarded
/// by the check before the upload only.
/// </summary>
public sealed partial class S3RecordingStore : IRecordingStore, IDisposable
{
    public const string BackendName = "s3";

    private const string HashMetadata = "x-amz-meta-sha256";

    private readonly S3Location _location;
    private readonly RecordingObjectNames _names;
    private readonly AmazonS3Client _client;
    private readonly TransientRetry _retry;
    private readonly ILogger _logger;
    private volatile bool _conditionalPuts = true;

    public S3RecordingStore(S3Location location, ILogger? logger = null, RetryOptions? retry = null)
    {
        _location = location;
        _names = new RecordingObjectNames(location.Prefix);
        var config = new AmazonS3Config { MaxErrorRetry = 0, Timeout = TimeSpan.FromMinutes(5) };
        if (location.Endpoint is not null)
        {
            config.ServiceURL = location.Endpoint;
            config.ForcePathStyle = true;
            config.UseHttp = location.Insecure;
            config.AuthenticationRegion = location.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(location.Region ?? "us-east-1");
        }

        if (location.ByteExactUploads)
        {
            // Checksums only where S3 requires them: otherwise the SDK wraps the body in aws-chunked trailers that
            // S3-compatible stores may keep as part of the object.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        _client = location.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(location.Credentials, config);
        _logger = logger ?? NullLogger.Instance;
        _retry = new TransientRetry(BackendName, IsTransient, retry, _logger);
    }

    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false,
        // Two conditional uploads of one key in flight at once: S3 asks to retry.
        AmazonServiceException { ErrorCode: "ConditionalRequestConflict" } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" or "ServiceUnavailable" } => true,
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { InnerException: HttpRequestException or IOException or SocketException or TaskCanceledException } => true,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync("initialize", token => _client.GetBucketLocationAsync(_location.Bucket, token), cancellationToken);
            return;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode == "NoSuchBucket")
        {
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Denied("s3:GetBucketLocation", ex);
        }

        try
        {
            await _retry.ExecuteAsync("create-bucket", token => _client.PutBucketAsync(new PutBucketRequest { BucketName = _location.Bucket }, token), cancellationToken);
            LogBucketCreated(_location.Bucket);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou")
        {
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Denied("s3:CreateBucket", ex);
        }
    }

    public async Task UploadAsync(string sessionId, Stream recording, CancellationToken cancellationToken)
    {
        var key = _names.NameOf(sessionId);
        await using var spool = await SpooledRecording.CreateAsync(recording, cancellationToken);
        var hash = spool.Sha256;
        if (await StoredHashAsync(key, cancellationToken) is { } stored)
        {
            // The metadata can lag the object while a concurrent upload of the same recording lands (s3rver shows
            // the object first): only the stored bytes themselves prove a different recording.
            if (stored != hash && await StoredContentHashAsync(key, cancellationToken) != hash)
            {
                throw new RecordingConflictException(sessionId);
            }

            return;
        }

        try
        {
            await PutAsync(key, spool, hash, _conditionalPuts, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            // Another upload of this session landed between the check and this one (or this one's first attempt
            // did, and its answer was lost): it stays; only the same bytes make this upload a success.
            if (await WinningContentHashAsync(key, cancellationToken) != hash)
            {
                throw new RecordingConflictException(sessionId);
            }
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotImplemented || ex.ErrorCode == "NotImplemented")
        {
            _conditionalPuts = false;
            LogConditionalPutUnsupported(_location.Bucket);
            await PutAsync(key, spool, hash, conditional: false, cancellationToken);
        }
    }

    public async Task<Stream?> DownloadAsync(string sessionId, CancellationToken cancellationToken)
    {
        var key = _names.NameOf(sessionId);
        try
        {
            var response = await _retry.ExecuteAsync("download", token => _client.GetObjectAsync(_location.Bucket, key, token), cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream?> DownloadFromAsync(string sessionId, long offset, CancellationToken cancellationToken)
    {
        if (offset <= 0)
        {
            return await DownloadAsync(sessionId, cancellationToken);
        }

        var request = new GetObjectRequest { BucketName = _location.Bucket, Key = _names.NameOf(sessionId), ByteRange = new ByteRange($"bytes={offset}-") };
        try
        {
            var response = await _retry.ExecuteAsync("download", token => _client.GetObjectAsync(request, token), cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The object exists and ends before the offset.
            return new MemoryStream([], writable: false);
        }
    }

    public async Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<RecordingInfo>();
        string? token = null;
        do
        {
            var page = await _retry.ExecuteAsync("list", ct => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _location.Bucket,
                Prefix = _names.ListPrefix,
                ContinuationToken = token,
            }, ct), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                if (_names.SessionOf(item.Key) is { } sessionId)
                {
                    found.Add(new RecordingInfo(sessionId, item.Size ?? 0, new DateTimeOffset(item.LastModified ?? DateTime.UtcNow)));
                }
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return [.. found.OrderBy(r => r.SessionId, StringComparer.Ordinal)];
    }

    public void Dispose() => _client.Dispose();

    private Task<PutObjectResponse> PutAsync(string key, SpooledRecording spool, string hash, bool conditional, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync("upload", async token =>
        {
            var request = new PutObjectRequest
            {
                BucketName = _location.Bucket,
                Key = key,
                InputStream = spool.Rewind(),
                AutoCloseStream = false,
                UseChunkEncoding = !_location.ByteExactUploads,
                ContentType = "application/x-tar",
                ServerSideEncryptionMethod = _location.DisableSse || _location.Endpoint is not null ? ServerSideEncryptionMethod.None : ServerSideEncryptionMethod.AES256,
                IfNoneMatch = conditional ? "*" : null,
            };
            request.Metadata.Add(HashMetadata, hash);
            return await _client.PutObjectAsync(request, token);
        }, cancellationToken);

    private async Task<string?> StoredHashAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _retry.ExecuteAsync("head", token => _client.GetObjectMetadataAsync(_location.Bucket, key, token), cancellationToken);
            return head.Metadata[HashMetadata] ?? "";
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The hash of the upload that won a conditional put this one lost. The store may refuse this upload while the
    /// winner is still in flight (S3 with a concurrent writer), so a missing object is read again for a few seconds;
    /// null when it never appears, which is a conflict too.
    /// </summary>
    private async Task<string?> WinningContentHashAsync(string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await StoredContentHashAsync(key, cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && attempt < 25)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (AmazonClientException) when (attempt < 25)
            {
                // The body did not match its checksum: read while the winner was still being written (a store whose
                // puts are not atomic, as s3rver's), or damaged on the way. Read it again.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private async Task<string> StoredContentHashAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await _retry.ExecuteAsync("get", token => _client.GetObjectAsync(_location.Bucket, key, token), cancellationToken);
        await using var body = response.ResponseStream;
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(body, cancellationToken));
    }

    private BackendSetupException Denied(string permission, AmazonS3Exception exception) =>
        new($"S3 refused {permission} on bucket '{_location.Bucket}' ({exception.ErrorCode}: {exception.Message}); grant the credentials {permission} or create the bucket beforehand", exception);
}
