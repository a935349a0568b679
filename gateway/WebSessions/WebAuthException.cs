namespace Teleport.Orleans.Gateway.WebSessions;

/// <summary>A web call refused for its session: 401 (not signed in, ended, expired) or 403 (CSRF, lock).</summary>
internal sealed class WebAuthException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
