using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Teleport.Orleans.Grains.Hosting;

/// <summary>
/// Makes a silo that leaves the pool (SIGTERM, a rolling restart) refuse, not forward, the requests that reach it for
/// grains it no longer runs. Orleans forwards such a request to the grain's new home, but the caller's silo still
/// waits for the answer from the leaving one, and fails the call ("The target silo became unavailable") once that
/// silo is marked dead, although the forwarded request may have run: a login whose grain call was forwarded while its
/// auth server left answered 503 though the user had logged in. A refused request has not run, so the caller's
/// <c>RejectedCallRetry</c> sends it again to the grain's new home. Requests already running finish before the silo
/// deactivates its grains; requests queued on a grain are refused when it deactivates.
/// </summary>
internal sealed partial class LeavingSiloRefusal(IOptions<SiloMessagingOptions> messaging, ILogger<LeavingSiloRefusal> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        // Stopped first: stages stop from the highest down, and Orleans tells clients to stop sending at Active.
        lifecycle.Subscribe(nameof(LeavingSiloRefusal), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, _ =>
        {
            // Orleans reads MaxForwardCount from this instance on every forward (MessageCenter, ActivationData).
            messaging.Value.MaxForwardCount = 0;
            LogRefusingForwards();
            return Task.CompletedTask;
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the auth pool: requests for grains this server no longer runs are refused for their callers to resend")]
    private partial void LogRefusingForwards();
}
