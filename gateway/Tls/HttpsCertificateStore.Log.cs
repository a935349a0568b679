using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Tls;

internal sealed partial class HttpsCertificateStore
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded the web certificate {CertFile}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string certFile, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web certificate {CertFile} changed but does not load; still serving the previous one")]
    private static partial void LogReloadFailed(ILogger logger, string certFile);
}
