using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.Core.Resilience;

public sealed partial class TransientRetry
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Backend} {Operation} failed transiently (attempt {Attempt} of {MaxAttempts}); retrying in {DelayMs:F0} ms")]
    private partial void LogRetry(Exception exception, string backend, string operation, int attempt, int maxAttempts, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Backend} {Operation} failed after {Attempts} attempts")]
    private partial void LogGaveUp(Exception exception, string backend, string operation, int attempts);
}
