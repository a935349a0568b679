using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Session channel of {User} has no node login; every request is refused")]
    private static partial void LogNoLogin(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "PTY refused for {User}: the certificate does not permit a PTY")]
    private static partial void LogPtyRefused(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} as {Login}: process {Pid} runs {Command} {Terminal}")]
    private static partial void LogStarted(ILogger logger, string sessionId, string login, int pid, string command, string terminal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} ended: exit code {ExitCode}, signal {Signal}")]
    private static partial void LogEnded(ILogger logger, string sessionId, int? exitCode, string? signal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} as {Login} could not start: {Error}")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, string login, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: the client went away or its access ended; hanging up process group {Pid}")]
    private static partial void LogTerminating(ILogger logger, string sessionId, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} is ended: {Reason}")]
    private static partial void LogAccessEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: terminal output did not end after the program exited")]
    private static partial void LogOutputNotDrained(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the recording could not be started; the session runs unrecorded")]
    private static partial void LogRecordingFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: reporting to the node service failed")]
    private static partial void LogReportFailed(ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {User} joined as {Mode}")]
    private static partial void LogJoined(ILogger logger, string sessionId, string user, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {User} left")]
    private static partial void LogLeft(ILogger logger, string sessionId, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {User} may not join as {Mode}: {Reason}")]
    private static partial void LogJoinRefused(ILogger logger, string sessionId, string user, string mode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: moderator {User} terminated it")]
    private static partial void LogForceTerminated(ILogger logger, string sessionId, string user);
}
