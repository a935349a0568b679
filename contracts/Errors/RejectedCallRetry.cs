namespace Teleport.Orleans.Contracts.Errors;

/// <summary>
/// Sends a grain call again when Orleans rejected it without running it: an auth server that leaves the pool
/// (SIGTERM, a rolling restart) answers "Silo stopping" to requests that reach it after it stopped taking work, and a
/// request that could not be sent is rejected too. Callers (the proxies' client, the auth API inside the silos) still
/// route to the leaving server until they learn it left, about a second; the retry after a short pause finds the
/// grain on a server that stays. A call that may have run (<see cref="SiloUnavailableException"/>: the server died
/// with the call in flight) is not repeated, except the one a leaving server gives when it is asked, as a client's
/// gateway, to deliver a request it can no longer place: it says so before sending the request anywhere.
/// </summary>
public sealed class RejectedCallRetry : IOutgoingGrainCallFilter
{
    /// <summary>Pauses before each new attempt: about 3.5 s in all, longer than the pool takes to see a server leave.</summary>
    private static readonly TimeSpan[] Pauses =
    [
        TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400),
        TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1000),
    ];

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType is not { } grainInterface || IsOrleansOwn(grainInterface))
        {
            // Orleans' own calls (membership probes, directory) have their own timeouts and retries.
            await context.Invoke();
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await context.Invoke();
                // Orleans may complete a call with a failed response rather than throw: look at both.
                if (attempt >= Pauses.Length || !IsRejectedUnrun(context.Response?.Exception))
                {
                    return;
                }
            }
            catch (Exception ex) when (attempt < Pauses.Length && IsRejectedUnrun(ex))
            {
            }

            await Task.Delay(Pauses[attempt]);
        }
    }

    private static bool IsOrleansOwn(Type grainInterface) =>
        grainInterface.Assembly.GetName().Name?.StartsWith("Orleans", StringComparison.Ordinal) ?? true;

    public static bool IsRejectedUnrun(Exception? exception) => exception switch
    {
        SiloUnavailableException unavailable => IsRefusedByLeavingGateway(unavailable),
        OrleansMessageRejectionException => true,
        _ => false,
    };

    /// <summary>
    /// Orleans' placement on a silo that is shutting down throws "Silo '...' is shutting down." and the silo's gateway
    /// rejects the client's request with it, unsent (seen in a DynamoDB rolling restart: a login answered 503). Orleans
    /// gives this case no type of its own, so its words are matched; "The target silo became unavailable", the call
    /// that was in flight when a server went, does not match.
    /// </summary>
    private static bool IsRefusedByLeavingGateway(SiloUnavailableException exception) =>
        exception.Message.StartsWith("Silo '", StringComparison.Ordinal)
        && exception.Message.EndsWith("' is shutting down.", StringComparison.Ordinal);
}
