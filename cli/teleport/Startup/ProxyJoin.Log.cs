using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Cli.Teleport.Startup;

internal static partial class ProxyJoin
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the auth service at {AuthServer} to join (attempt {Attempt}); retrying in {Seconds:0.##} s: {Reason}")]
    private static partial void LogAuthUnreachable(ILogger logger, string authServer, int attempt, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy identity of host {HostId} loaded from {Directory}")]
    private static partial void LogReusing(ILogger logger, string hostId, string directory);
}
