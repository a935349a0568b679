using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Identity;

internal sealed partial class ProxyIdentityProvider
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Waiting for the cluster to issue the proxy's host certificates: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Proxy X.509 certificate renewed, valid until {NotAfter:O}")]
    private static partial void LogRenewed(ILogger logger, DateTime notAfter);
}
