namespace Teleport.Orleans.Contracts.Errors;

/// <summary>
/// Recognises a grain call that failed because the auth server running the grain went away (killed, hung, leaving)
/// or did not answer in time, so that the API boundaries answer "unavailable, retry" (HTTP 503, gRPC Unavailable)
/// with one sentence instead of an internal error. Orleans cannot know whether such a call ran: the caller retries,
/// and the pool has moved the grain by then.
/// </summary>
public static class AuthPoolUnreachable
{
    public const string Message = "an auth server stopped answering while handling this request; try again in a few seconds";

    // The connection to a silo failed or was cut: Orleans' own type is internal, the others are the transport's.
    private static readonly string[] ConnectionFailures =
    [
        "Orleans.Runtime.Messaging.ConnectionFailedException",
        "Microsoft.AspNetCore.Connections.ConnectionAbortedException",
        "Microsoft.AspNetCore.Connections.ConnectionResetException",
    ];

    /// <summary>The sentence for the caller when <paramref name="exception"/> or an inner one is such a failure; otherwise null.</summary>
    public static string? Describe(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // SiloUnavailableException (the target silo died or left), GatewayTooBusyException, rejected messages.
                case OrleansMessageRejectionException:
                // Orleans' response timeout (SiloMessagingOptions.ResponseTimeout): the silo is hung or overloaded.
                case TimeoutException:
                    return Message;
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    return Describe(aggregate.InnerExceptions[0]);
                case var _ when Array.IndexOf(ConnectionFailures, current.GetType().FullName) >= 0:
                    return Message;
            }
        }

        return null;
    }
}
