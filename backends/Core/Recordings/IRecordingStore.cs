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

    /// <summary>The stored recordings, ordered by session id.</summary>
    Task<IReadOnlyList<RecordingInfo>> ListAsync(CancellationToken cancellationToken);
}
