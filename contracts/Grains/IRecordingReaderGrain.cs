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

    /// <summary>
    /// One page of the JSON of session.end events between <paramref name="from"/> and <paramref name="to"/>,
    /// newest first, from <paramref name="startKey"/> (empty: the newest); the page's NextKey is empty on the last.
    /// </summary>
    Task<SessionEndPage> ListSessionEnds(DateTimeOffset from, DateTimeOffset to, int limit, string startKey);

    /// <summary>
    /// Up to <paramref name="count"/> bytes (at most <see cref="MaxSlice"/>) of the recording of
    /// <paramref name="sessionId"/> from <paramref name="offset"/>, or null when no such recording is stored.
    /// </summary>
    Task<RecordingSlice?> Read(string sessionId, long offset, int count);
}

/// <summary>A page of session.end events (Teleport-shaped JSON) and the key of the next page, empty on the last.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionEndPage
{
    [Id(0)] public string[] Events { get; init; } = [];
    [Id(1)] public string NextKey { get; init; } = "";
}
