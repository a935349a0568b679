using System.Net;

namespace Teleport.Orleans.Backends.Firestore.Client;

/// <summary>An error Firestore answered with: its canonical status (<c>ALREADY_EXISTS</c>, <c>FAILED_PRECONDITION</c>, ...) and message.</summary>
public sealed class FirestoreException(HttpStatusCode httpStatus, string status, string message)
    : Exception($"Firestore answered {status}: {message}")
{
    public HttpStatusCode HttpStatus { get; } = httpStatus;

    /// <summary>The gRPC-style status name, e.g. <c>ALREADY_EXISTS</c>; the HTTP status when Firestore sent none.</summary>
    public string Status { get; } = status;

    public string Detail { get; } = message;

    /// <summary>A write's precondition failed: the document exists, is missing, or changed since it was read.</summary>
    public bool IsPreconditionFailure => Status is "ALREADY_EXISTS" or "FAILED_PRECONDITION" or "NOT_FOUND";
}
