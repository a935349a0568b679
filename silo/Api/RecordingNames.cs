using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Api;

internal static class RecordingNames
{
    /// <summary>
    /// A session id names an object in the recording store (a file, a blob): letters, digits, '-' and '_' only, so
    /// that no id can reach outside the store.
    /// </summary>
    public static string Check(string sessionId) =>
        sessionId.Length is > 0 and <= 128 && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? sessionId
            : throw AuthException.BadParameter($"\"{sessionId}\" is not a session id (letters, digits, '-' and '_')");
}
