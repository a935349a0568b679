using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Silo.Membership;

/// <summary>
/// What a silo does when Orleans finds it cannot go on, above all when it wakes (SIGCONT, the end of a long pause or
/// partition) to find the pool declared it dead: it may not rejoin under its old identity, and its grains already
/// live elsewhere. Orleans' default fails fast with pages of stack traces; this says why in one line and ends the
/// process at once (SIGKILL, exit status 137), so that its supervisor (systemd Restart=on-failure, Kubernetes)
/// starts it again as a new member. Nothing is lost: every acknowledged write is in the backend.
/// </summary>
internal sealed partial class DeclaredDeadExit(ILogger<DeclaredDeadExit> logger) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        var declaredDead = context?.Contains("dead", StringComparison.OrdinalIgnoreCase) == true;
        var reason = declaredDead
            ? "the auth pool declared this auth server dead (it did not answer its peers' probes: stopped, starved or cut off)"
            : $"Orleans reported a fatal error in {sender?.GetType().Name ?? "the silo"}: {FirstLine(context ?? exception?.Message ?? "")}";
        LogExiting(logger, reason);
        // Straight to stderr as well: the logger writes on a background thread that the kill below would cut short.
        Console.Error.WriteLine($"ERROR: {reason}; exiting so that the supervisor starts it again as a new member.");
        Process.GetCurrentProcess().Kill();
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason}; exiting so that the supervisor starts it again as a new member")]
    private static partial void LogExiting(ILogger logger, string reason);
}
