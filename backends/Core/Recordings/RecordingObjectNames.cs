namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>
/// How object stores name recordings: <c>PREFIX/SESSION.tar</c> (no '/' when the prefix is empty), as Teleport lays
/// them out in S3 and GCS. Objects under the prefix that are not recordings (other extensions, deeper paths) are not
/// listed.
/// </summary>
public sealed class RecordingObjectNames
{
    private const string Extension = ".tar";

    /// <param name="prefix">The key prefix without leading or trailing '/'; may be empty.</param>
    public RecordingObjectNames(string prefix) => ListPrefix = prefix.Length == 0 ? "" : prefix + "/";

    /// <summary>What every recording's name starts with, to list them.</summary>
    public string ListPrefix { get; }

    public string NameOf(string sessionId) => ListPrefix + RecordingIds.Validate(sessionId) + Extension;

    /// <summary>The session id an object of a listing names, or null when it is no recording of this store.</summary>
    public string? SessionOf(string objectName)
    {
        if (!objectName.StartsWith(ListPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = objectName[ListPrefix.Length..];
        return rest.EndsWith(Extension, StringComparison.Ordinal) && !rest.Contains('/') ? rest[..^Extension.Length] : null;
    }
}
