using Amazon.Runtime;

namespace Teleport.Orleans.Backends.DynamoDb;

/// <summary>
/// Where the DynamoDB backend keeps its items, with Teleport's keys: <c>region</c>, <c>table_name</c> and
/// <c>endpoint</c> (a DynamoDB-compatible server such as dynalite or DynamoDB Local).
/// </summary>
public sealed record DynamoDbOptions
{
    public required string TableName { get; init; }

    public string? Region { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>
    /// How long audit events are kept (Teleport's <c>audit_retention_period</c>, default a year): each event's TTL
    /// attribute is its time plus this, and DynamoDB deletes it after that.
    /// </summary>
    public TimeSpan EventRetention { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Explicit credentials; null takes them the way the AWS SDK does (environment variables, profiles, instance roles).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Throws with a message naming the key when the options cannot work.</summary>
    public void Validate()
    {
        // DynamoDB's own rule for table names: 3 to 255 of [a-zA-Z0-9_.-].
        if (TableName.Length is < 3 or > 255 || !TableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new ArgumentException($"dynamodb table_name '{TableName}' is invalid: use 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'");
        }

        if (Endpoint is not null && !Uri.TryCreate(Endpoint, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"dynamodb endpoint '{Endpoint}' is not an absolute URL");
        }

        if (EventRetention <= TimeSpan.Zero)
        {
            throw new ArgumentException("dynamodb audit_retention_period must be positive");
        }

        if (Endpoint is null && string.IsNullOrEmpty(Region))
        {
            throw new ArgumentException("dynamodb needs a region (or an endpoint)");
        }
    }
}
