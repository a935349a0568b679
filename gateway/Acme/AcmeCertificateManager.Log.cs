using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.Acme;

internal sealed partial class AcmeCertificateManager
{
    [LoggerMessage(Level = LogLevel.Information, Message = "ACME: obtained a certificate for {Name} from {Directory}, valid until {NotAfter:u} ({Seconds:0.0} s)")]
    private static partial void LogObtained(ILogger logger, string name, string directory, DateTimeOffset notAfter, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACME: serving the certificate for {Name}, valid until {NotAfter:u}")]
    private static partial void LogServing(ILogger logger, string name, DateTimeOffset notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACME: could not obtain a certificate for {Name}: {Reason}; next attempt in {Seconds:0} s")]
    private static partial void LogOrderFailed(ILogger logger, string name, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ACME: another proxy holds the ordering lease; {Names} wait for it")]
    private static partial void LogLeaseHeld(ILogger logger, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACME: the certificate check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACME: '{Name}' is not a DNS name; ACME certificates are for DNS names only")]
    private static partial void LogNotDnsName(ILogger logger, string name);
}
