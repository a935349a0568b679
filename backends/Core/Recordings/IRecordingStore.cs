namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>
/// Where finished session recordings are kept (<c>audit_sessions_uri</c>): one object per session id, written once.
/// </summary>
public interface IRecordingStore
{
    /// <summary>Creates the directory or bucket when it is missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the whole recording under <paramref name="sessionId"/> or nothing. Uploading the same bytes again (a
    /// retry after a lost reply) succeeds; other bytes under a stored id throw <see cref="RecordingConflictException"/>,
    /// so that a recording cannot be replaced after the fact.
    /// </summary>
    Task UploadAsync(string sessionId, Stream recording, CancellationToken cancellationToken);

    /// <summary>Opens a stored recording for reading (the caller disposes it), or null when there is none.</summary>
    Task<Stream?> DownloadAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a stored recording at byte <paramref name="offset"/> (past the end: an empty stream), or null when there
    /// is none. Object stores override this with a ranged read, so a player reading a long recording slice by slice
    /// does not fetch it from the start for every slice; this default skips through the whole download.
    /// </summary>
    async Task<Stream?> DownloadFromAsync(string sessionId, long offset, CancellationToken cancellationToken)
    {
        var recording = await DownloadAsync(sessionId, cancellationToken);
        if (recording is null || offset <= 0)
        {
            return recording;
        }

        if (recording.CanSeek)
        {
            recording.Seek(Math.Min(offset, recording.Length), SeekOrigin.Begin);
            return recording;
        }

        var scratch = new byte[64 * 1024];
        while (offset > 0)
        {
            var read = await recording.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, offset)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            offset -= read;
        }

        return recording;
    }

    /// <summary>The stored recordings, ordered by session id.</summary>
    Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken);
}
