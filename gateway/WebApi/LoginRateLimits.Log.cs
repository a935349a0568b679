using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Gateway.WebApi;

internal sealed partial class LoginRateLimits
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing {Path} from {Address}: too many login attempts from the address; it may retry in {RetryAfter} s")]
    private static partial void LogAddressLimited(ILogger logger, string path, string address, int retryAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing web login for user {User} from {Address}: too many login attempts for the user; retry in {RetryAfter} s")]
    private static partial void LogUserLimited(ILogger logger, string user, string address, int retryAfter);
}
