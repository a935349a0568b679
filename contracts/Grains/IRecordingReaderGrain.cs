namespace Teleport.Orleans.Contracts.Grains;

/// <summary>
/// Reads session recordings and their session.end events for gateways, which cannot reach the recording store or
/// the audit store themselves when they run apart from the silos. A stateless worker on the silos; the caller
/// (the gateway) has already checked the user's RBAC on <c>session</c>.
/// </summary>
public interface IRecordingReaderGrain : IGrainWithIntegerKey
{
    /// <summary>The largest slice <see cref="Read"/> returns, so no message grows past what Orleans carries well.</summary>
    const int MaxSlice = 256 * 1024;

    /// <summary>The JSON of session.end events between <paramref name="from"/> and <paramref name="to"/>, newest first.</summary>
    Task<string[]> ListSessionEnds(DateTimeOffset from, DateTimeOffset to, int limit);

    /// <summary>
    /// Up to <paramref name="count"/> bytes (at most <see cref="MaxSlice"/>) of the recording of
    /// <paramref name="sessionId"/> from <paramref name="offset"/>, or null when no such recording is stored.
    /// </summary>
    Task<RecordingSlice?> Read(string sessionId, long offset, int count);
}
