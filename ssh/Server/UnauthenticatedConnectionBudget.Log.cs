using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Ssh.Server;

public sealed partial class UnauthenticatedConnectionBudget
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Closing unauthenticated connection from {Remote} on {Listener} ({Age:F1} s old, {Idle:F1} s idle): its address has {Limit} waiting, and {Newcomer} arrived ({HeldBack} such lines for this source held back before)")]
    private static partial void LogEvictedForAddress(ILogger logger, string remote, string listener, double age, double idle, int limit, string newcomer, int heldBack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing unauthenticated connection from {Remote} on {Listener} ({Age:F1} s old, {Idle:F1} s idle): {Limit} connections are waiting for authentication, and {Newcomer} arrived ({HeldBack} such lines for this source held back before)")]
    private static partial void LogEvictedForBudget(ILogger logger, string remote, string listener, double age, double idle, int limit, string newcomer, int heldBack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing unauthenticated connection from {Remote} on {Listener}: not authenticated within {Deadline} ({HeldBack} such lines for this source held back before)")]
    private static partial void LogDeadline(ILogger logger, string remote, string listener, TimeSpan deadline, int heldBack);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing unauthenticated connection from {Remote} failed: {Detail}")]
    private static partial void LogCloseFailed(ILogger logger, string remote, string detail);
}
