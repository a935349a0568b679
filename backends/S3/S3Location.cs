using System.Web;
using Amazon.Runtime;

namespace Teleport.Orleans.Backends.S3;

/// <summary>
/// An <c>audit_sessions_uri</c> of the form <c>s3://BUCKET/PREFIX?region=&amp;endpoint=&amp;insecure=&amp;disablesse=</c>,
/// with Teleport's query keys. <see cref="ByteExactUploads"/> is the per-endpoint switch for S3-compatible stores that
/// keep the SDK's aws-chunked upload encoding verbatim (s3rver does); it is on whenever an endpoint is given unless
/// <c>chunked_uploads=true</c> turns the SDK's streaming uploads back on.
/// </summary>
public sealed record S3Location
{
    public required string Bucket { get; init; }

    /// <summary>The key prefix recordings are stored under, without leading or trailing '/'; may be empty.</summary>
    public string Prefix { get; init; } = "";

    public string? Region { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>http instead of https to the endpoint.</summary>
    public bool Insecure { get; init; }

    /// <summary>No server-side encryption header on uploads (stores that refuse it).</summary>
    public bool DisableSse { get; init; }

    public bool ByteExactUploads { get; init; }

    /// <summary>Explicit credentials; null takes them the way the AWS SDK does (environment variables, profiles, instance roles).</summary>
    public AWSCredentials? Credentials { get; init; }

    public static S3Location Parse(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != "s3")
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}' is not an s3://BUCKET/PREFIX URI");
        }

        // Uri lower-cases the host; the bucket is taken as written so that a wrong case is reported, not fixed silently.
        var bucket = uri["s3://".Length..].Split('/', '?')[0];
        // S3's bucket naming rule: 3-63 of lower-case letters, digits, '.' and '-'.
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': bucket name '{bucket}' is invalid (3-63 lower-case letters, digits, '.' or '-')");
        }

        var query = HttpUtility.ParseQueryString(parsed.Query);
        var known = new HashSet<string> { "region", "endpoint", "insecure", "disablesse", "chunked_uploads" };
        if (query.AllKeys.FirstOrDefault(k => k is null || !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': unknown parameter '{unknown}' (known: {string.Join(", ", known)})");
        }

        var endpoint = query["endpoint"];
        var insecure = Flag(uri, query, "insecure");
        if (endpoint is not null && !endpoint.Contains("://", StringComparison.Ordinal))
        {
            endpoint = (insecure ? "http://" : "https://") + endpoint;
        }

        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"audit_sessions_uri '{uri}': endpoint '{endpoint}' is not a URL");
        }

        return new S3Location
        {
            Bucket = bucket,
            Prefix = Uri.UnescapeDataString(parsed.AbsolutePath).Trim('/'),
            Region = query["region"],
            Endpoint = endpoint,
            Insecure = insecure,
            DisableSse = Flag(uri, query, "disablesse"),
            ByteExactUploads = endpoint is not null && !Flag(uri, query, "chunked_uploads"),
        };
    }

    private static bool Flag(string uri, System.Collections.Specialized.NameValueCollection query, string name) =>
        query[name] switch
        {
            null => false,
            var value when bool.TryParse(value, out var flag) => flag,
            var value => throw new ArgumentException($"audit_sessions_uri '{uri}': {name}={value} is not true or false"),
        };
}
