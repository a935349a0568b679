namespace Teleport.Orleans.Access.Rbac;

/// <summary>The outcome of an access check, with a reason that can be shown to the user and written to the audit log.</summary>
public sealed record AccessDecision(bool Allowed, string Reason)
{
    internal static AccessDecision Allow(string reason) => new(true, reason);

    internal static AccessDecision Deny(string reason) => new(false, reason);
}
