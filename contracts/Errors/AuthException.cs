namespace Teleport.Orleans.Contracts.Errors;

/// <summary>
/// A failure the caller caused or must handle, with a kind the API boundary maps to a status code
/// (as Teleport's trace.NotFound, trace.AlreadyExists, trace.BadParameter, trace.AccessDenied).
/// </summary>
[GenerateSerializer]
public sealed class AuthException : Exception
{
    public AuthException(AuthErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    [Id(0)] public AuthErrorKind Kind { get; }

    public static AuthException NotFound(string message) => new(AuthErrorKind.NotFound, message);

    public static AuthException AlreadyExists(string message) => new(AuthErrorKind.AlreadyExists, message);

    public static AuthException BadParameter(string message) => new(AuthErrorKind.BadParameter, message);

    public static AuthException AccessDenied(string message) => new(AuthErrorKind.AccessDenied, message);

    public static AuthException LimitExceeded(string message) => new(AuthErrorKind.LimitExceeded, message);

    public static AuthException Unavailable(string message) => new(AuthErrorKind.Unavailable, message);
}

public enum AuthErrorKind
{
    BadParameter = 0,
    NotFound = 1,
    AlreadyExists = 2,
    AccessDenied = 3,
    LimitExceeded = 4,

    /// <summary>A dependency (the cluster state backend) is down: retry later. HTTP 503, gRPC Unavailable.</summary>
    Unavailable = 5,
}
