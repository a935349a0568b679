namespace Teleport.Orleans.Contracts.Resources;

/// <summary>
/// Teleport's <c>kind: lock</c> (named AccessLock because System.Threading.Lock is in scope everywhere): while in force, the target may not log in or start sessions. A lock targets a user,
/// a login, a node (host uuid or hostname) or several; when it applies is decided in one place, access/Locks/LockMatcher.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccessLock
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public LockTarget Target { get; init; } = new();
    [Id(2)] public string Message { get; init; } = "";
    /// <summary>Null: in force until deleted.</summary>
    [Id(3)] public DateTimeOffset? Expires { get; init; }
    [Id(4)] public DateTimeOffset CreatedAt { get; init; }
    [Id(5)] public string CreatedBy { get; init; } = "";

    public bool InForce(DateTimeOffset now) => Expires is not { } expires || expires > now;
}

/// <summary>spec.target of a lock (at least one field is set), or one of a session's computed targets (one field set).</summary>
[GenerateSerializer, Immutable]
public sealed record LockTarget
{
    [Id(0)] public string User { get; init; } = "";
    [Id(1)] public string Login { get; init; } = "";
    /// <summary>The node's host uuid.</summary>
    [Id(2)] public string Node { get; init; } = "";

    public bool IsEmpty => User.Length == 0 && Login.Length == 0 && Node.Length == 0;
}
