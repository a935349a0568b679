using System.Collections.Specialized;
using System.Web;

namespace Teleport.Orleans.Backends.Gcs;

/// <summary>
/// An <c>audit_sessions_uri</c> of the form <c>gs://BUCKET?projectID=&amp;path=PREFIX&amp;credentialsPath=&amp;endpoint=</c>,
/// with Teleport's query keys: recordings are the objects <c>PREFIX/SESSION.tar</c>. An <c>endpoint</c> is a
/// JSON-API server other than Google's (an emulator) and is reached without credentials, as Teleport does.
/// </summary>
public sealed record GcsLocation
{
    private static readonly string[] Known = ["projectID", "path", "credentialsPath", "endpoint"];

    public required string Bucket { get; init; }

    /// <summary>The Google Cloud project a missing bucket is created in.</summary>
    public required string ProjectId { get; init; }

    /// <summary>The object-name prefix recordings are stored under, without leading or trailing '/'; may be empty.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>A service-account key file; null takes Application Default Credentials.</summary>
    public string? CredentialsPath { get; init; }

    /// <summary>The JSON API's root URL (<c>http://127.0.0.1:4443</c>) instead of Google's; no credentials are sent to it.</summary>
    public string? Endpoint { get; init; }

    public static GcsLocation Parse(string uri)
    {
        if (!uri.StartsWith("gs://", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}' is not a gs://BUCKET?projectID=PROJECT URI");
        }

        // Uri lower-cases the host; the bucket is taken as written so that a wrong case is reported, not fixed silently.
        var bucket = uri["gs://".Length..].Split('/', '?')[0];
        if (!IsBucketName(bucket))
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': bucket name '{bucket}' is invalid (3-63 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }

        var query = HttpUtility.ParseQueryString(parsed.Query);
        if (query.AllKeys.FirstOrDefault(k => k is null || !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': unknown parameter '{unknown}' (known: {string.Join(", ", Known)})");
        }

        var projectId = Single(uri, query, "projectID")
            ?? throw new ArgumentException($"audit_sessions_uri '{uri}': projectID is missing (gs://{bucket}?projectID=PROJECT)");
        var uriPath = Uri.UnescapeDataString(parsed.AbsolutePath).Trim('/');
        var path = Single(uri, query, "path")?.Trim('/');
        if (path is not null && uriPath.Length > 0 && path != uriPath)
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': the prefix is given twice ('/{uriPath}' and path={path}); keep path=");
        }

        var endpoint = Single(uri, query, "endpoint");
        if (endpoint is not null)
        {
            endpoint = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri) || endpointUri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"audit_sessions_uri '{uri}': endpoint '{endpoint}' is not an http(s) URL");
            }
        }

        var credentialsPath = Single(uri, query, "credentialsPath");
        if (credentialsPath is not null && !File.Exists(credentialsPath))
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': credentialsPath '{credentialsPath}' does not exist");
        }

        return new GcsLocation
        {
            Bucket = bucket,
            ProjectId = projectId,
            Prefix = path ?? uriPath,
            CredentialsPath = credentialsPath,
            Endpoint = endpoint,
        };
    }

    /// <summary>Google's bucket naming rule for names without dots' extra limits: 3-63 of [a-z0-9-_.], letter or digit at both ends.</summary>
    private static bool IsBucketName(string bucket) =>
        bucket.Length is >= 3 and <= 63
        && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.')
        && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
        && !bucket.StartsWith("goog", StringComparison.Ordinal);

    private static string? Single(string uri, NameValueCollection query, string name) =>
        query.GetValues(name) switch
        {
            null => null,
            [var value] when value.Length > 0 => value,
            [_] => throw new ArgumentException($"audit_sessions_uri '{uri}': {name} is empty"),
            _ => throw new ArgumentException($"audit_sessions_uri '{uri}': {name} is given more than once"),
        };
}
