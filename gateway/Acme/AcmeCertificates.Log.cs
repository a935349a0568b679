using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Acme;

internal sealed partial class AcmeCertificates
{
    [LoggerMessage(Level = LogLevel.Information, Message = "ACME: answering the TLS-ALPN-01 validation for {Name}")]
    private static partial void LogAnswering(ILogger logger, string name);
}
