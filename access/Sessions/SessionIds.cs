using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Access.Sessions;

/// <summary>
/// A session id names an object in the recording store (a file, a blob): letters, digits, '-' and '_' only, so
/// that no id can reach outside the store.
/// </summary>
public static class SessionIds
{
    public static bool IsValid(string sessionId) =>
        sessionId.Length is > 0 and <= 128 && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static string Check(string sessionId) =>
        IsValid(sessionId)
            ? sessionId
            : throw AuthException.BadParameter($"\"{sessionId}\" is not a session id (letters, digits, '-' and '_')");
}
