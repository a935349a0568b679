using System.Net.Sockets;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Azure.Recordings;

/// <summary>
/// Session recordings as block blobs <c>SESSION.tar</c> in one container (<c>azblob://HOST/CONTAINER</c>). An upload
/// is conditional on no blob existing (If-None-Match: *), so a recording is never replaced; the SHA-256 in the blob's
/// metadata tells a repeated upload of the same bytes (accepted) from different bytes (refused).
/// </summary>
public sealed class AzureBlobRecordingStore : IRecordingStore
{
    private static readonly RecordingObjectNames Names = new("");
    private const string HashMetadata = "sha256";

    private readonly BlobContainerClient _container;
    private readonly TransientRetry _retry;

    public AzureBlobRecordingStore(string connectionString, string container, ILogger? logger = null, RetryOptions? retry = null)
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        _container = new BlobContainerClient(connectionString, container, options);
        _retry = new TransientRetry(AzureTables.BackendName, AzureTables.IsTransient, retry, logger ?? NullLogger.Instance);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync("create-container", token => _container.CreateIfNotExistsAsync(cancellationToken: token), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            // Create-if-missing needs the create permission even when the container exists.
            if (await ContainerExistsAsync(cancellationToken))
            {
                return;
            }

            throw new BackendSetupException(
                $"Azure Storage refused to create blob container '{_container.Name}' ({ex.ErrorCode}); grant the credentials container create permission (the 'Storage Blob Data Contributor' role) or create the container beforehand",
                ex);
        }
    }

    public async Task UploadAsync(string sessionId, Stream recording, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(Names.NameOf(sessionId));
        await using var spool = await SpooledRecording.CreateAsync(recording, cancellationToken);
        var hash = spool.Sha256;
        try
        {
            await _retry.ExecuteAsync("upload", token =>
            {
                return blob.UploadAsync(spool.Rewind(), new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    Metadata = new Dictionary<string, string> { [HashMetadata] = hash },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-tar" },
                }, token);
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            var properties = await _retry.ExecuteAsync("head", token => blob.GetPropertiesAsync(cancellationToken: token), cancellationToken);
            if (!properties.Value.Metadata.TryGetValue(HashMetadata, out var stored) || stored != hash)
            {
                throw new RecordingConflictException(sessionId);
            }
        }
    }

    public async Task<Stream?> DownloadAsync(string sessionId, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(Names.NameOf(sessionId));
        try
        {
            var response = await _retry.ExecuteAsync("download", token => blob.DownloadStreamingAsync(cancellationToken: token), cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
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

        var blob = _container.GetBlobClient(Names.NameOf(sessionId));
        var options = new BlobDownloadOptions { Range = new HttpRange(offset) };
        try
        {
            var response = await _retry.ExecuteAsync("download", token => blob.DownloadStreamingAsync(options, token), cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            // The blob exists and ends before the offset.
            return new MemoryStream([], writable: false);
        }
    }

    public Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken) =>
        _retry.ExecuteAsync<IReadOnlyList<RecordingInfo>>("list", async token =>
        {
            var found = new List<RecordingInfo>();
            await foreach (var item in _container.GetBlobsAsync(cancellationToken: token))
            {
                if (Names.SessionOf(item.Name) is { } sessionId)
                {
                    found.Add(new RecordingInfo(sessionId, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.UtcNow));
                }
            }

            return [.. found.OrderBy(r => r.SessionId, StringComparer.Ordinal)];
        }, cancellationToken);

    private async Task<bool> ContainerExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Listing, not the container's properties: a SAS scoped to the container may list it but not read those.
            return await _retry.ExecuteAsync("find-container", async token =>
            {
                await foreach (var _ in _container.GetBlobsAsync(cancellationToken: token).AsPages(pageSizeHint: 1))
                {
                    return true;
                }

                return true;
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403 or 404)
        {
            return false;
        }
    }
}
