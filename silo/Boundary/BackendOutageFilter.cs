using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Silo.Boundary;

/// <summary>
/// A grain call that failed because the backend is down leaves the silo as <see cref="AuthErrorKind.Unavailable"/>
/// with one sentence: the driver's exception would not even cross to a proxy (Orleans has no codec for it), and the
/// proxy answers the user 503 with that sentence.
/// </summary>
internal sealed class BackendOutageFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (ex is not AuthException && BackendOutage.Describe(ex) is { } outage)
        {
            throw AuthException.Unavailable(outage);
        }
    }
}
