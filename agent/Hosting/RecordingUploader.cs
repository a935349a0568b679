using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>
/// The node's durable upload queue for session recordings: a finished recording is moved into
/// <c>data_dir/log/upload</c> and stays there until the auth service has accepted all of it; uploads are retried
/// with backoff while the auth service is down and resumed when the node starts again.
/// </summary>
internal sealed partial class RecordingUploader
{
    public const string Extension = ".cast";

    private const int ChunkSize = 64 * 1024;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly NodeAuthClient _auth;
    private readonly ILogger<RecordingUploader> _logger;
    private readonly SemaphoreSlim _wake = new(0);

    public RecordingUploader(string uploadDirectory, NodeAuthClient auth, ILogger<RecordingUploader> logger)
    {
        UploadDirectory = uploadDirectory;
        _auth = auth;
        _logger = logger;
        Directory.CreateDirectory(uploadDirectory);
    }

    public string UploadDirectory { get; }

    /// <summary>Recordings waiting for upload.</summary>
    public IReadOnlyList<string> Pending() =>
        [.. Directory.EnumerateFiles(UploadDirectory, "*" + Extension).Order(StringComparer.Ordinal)];

    /// <summary>Queues a finished recording: moves it into the upload directory (same file system: atomic).</summary>
    public void Enqueue(string sessionId, string recordingPath)
    {
        var target = Path.Combine(UploadDirectory, sessionId + Extension);
        try
        {
            File.Move(recordingPath, target, overwrite: true);
        }
        catch (IOException)
        {
            // Another file system: copy, then remove the original only once the copy is whole.
            File.Copy(recordingPath, target + ".part", overwrite: true);
            File.Move(target + ".part", target, overwrite: true);
            File.Delete(recordingPath);
        }

        _wake.Release();
    }

    /// <summary>Moves recordings a previous run left behind (its sessions are over) into the queue.</summary>
    public void AdoptLeftovers(string recordingDirectory)
    {
        if (!Directory.Exists(recordingDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(recordingDirectory, "*" + Extension))
        {
            LogAdopted(file);
            Enqueue(Path.GetFileNameWithoutExtension(file), file);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var failed = false;
                foreach (var file in Pending())
                {
                    if (await TryUploadAsync(file, cancellationToken))
                    {
                        failures = 0;
                    }
                    else
                    {
                        failed = true;
                        break;
                    }
                }

                if (failed)
                {
                    var delay = Backoff.Delay(failures++, FirstRetry, MaxRetry);
                    // A new recording does not skip the wait: the auth service is what is missing.
                    await Task.Delay(delay, cancellationToken);
                }
                else
                {
                    await _wake.WaitAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> TryUploadAsync(string file, CancellationToken cancellationToken)
    {
        var sessionId = Path.GetFileNameWithoutExtension(file);
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, useAsync: true);
            var total = stream.Length;
            using var call = _auth.Client.UploadRecording(deadline: DateTime.UtcNow.AddMinutes(10), cancellationToken: cancellationToken);
            var buffer = new byte[ChunkSize];
            var first = true;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0 || first)
            {
                var chunk = new RecordingChunk { Data = ByteString.CopyFrom(buffer, 0, read) };
                if (first)
                {
                    chunk.SessionId = sessionId;
                    chunk.TotalSize = total;
                    first = false;
                }

                await call.RequestStream.WriteAsync(chunk, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
            var response = await call;
            if (response.Size != total)
            {
                LogSizeMismatch(sessionId, total, response.Size);
                return false;
            }

            stream.Close();
            File.Delete(file);
            LogUploaded(sessionId, total);
            return true;
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            LogUploadFailed(sessionId, NodeAuthClient.Describe(ex));
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording of session {SessionId} uploaded ({Bytes} bytes)")]
    private partial void LogUploaded(string sessionId, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Uploading the recording of session {SessionId} failed, it stays queued: {Reason}")]
    private partial void LogUploadFailed(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The auth service stored {Stored} of {Total} bytes of session {SessionId}; retrying")]
    private partial void LogSizeMismatch(string sessionId, long total, long stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {Path} from an earlier run queued for upload")]
    private partial void LogAdopted(string path);
}
