using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Teleport.Orleans.Grains.Hosting;

/// <summary>
/// Makes a silo that leaves the pool (SIGTERM, a rolling restart) refuse, not forward, the requests that reach it for
/// grains it no longer runs, and gives those refusals time to reach their callers before it announces itself gone.
/// </summary>
/// <remarks>
/// Orleans forwards such a request to the grain's new home, but the caller's silo still waits for the answer from the
/// leaving one, and fails the call ("The target silo became unavailable") once that silo is marked dead, although the
/// forwarded request may have run: a login whose grain call was forwarded while its auth server left answered 503 though
/// the user had logged in. A refused request has not run, so the caller's <c>RejectedCallRetry</c> sends it again to the
/// grain's new home. Requests already running finish before the silo deactivates its grains; requests queued on a grain
/// are refused when it deactivates.
/// Orleans marks the silo dead within milliseconds of deactivating its grains, and a caller that hears of the death
/// first breaks its calls to the silo: seen in tests, refusals sent 3 ms before the death arrived 3 ms after it, and the
/// calls they answered failed as "silo unavailable". The pause after deactivation lets them arrive first; the silo keeps
/// refusing late requests meanwhile.
/// </remarks>
internal sealed partial class LeavingSiloRefusal(IOptions<SiloMessagingOptions> messaging, ILogger<LeavingSiloRefusal> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Many times what a message takes between silos, short beside a restart.</summary>
    internal static readonly TimeSpan RefusalDelivery = TimeSpan.FromMilliseconds(500);

    public void Participate(ISiloLifecycle lifecycle)
    {
        // Stopped first: stages stop from the highest down, and Orleans tells clients to stop sending at Active.
        lifecycle.Subscribe(nameof(LeavingSiloRefusal), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, _ =>
        {
            // Orleans reads MaxForwardCount from this instance on every forward (MessageCenter, ActivationData).
            messaging.Value.MaxForwardCount = 0;
            LogRefusingForwards();
            return Task.CompletedTask;
        });

        // Stopped right after the grains are deactivated, before the silo is marked dead (at RuntimeInitialize).
        lifecycle.Subscribe(nameof(LeavingSiloRefusal), ServiceLifecycleStage.GrainDeactivation - 1, _ => Task.CompletedTask, WaitForRefusalsToArrive);
    }

    private async Task WaitForRefusalsToArrive(CancellationToken cancellation)
    {
        // A cancelled stop is an ungraceful one: nothing is waited for then.
        await Task.Delay(RefusalDelivery, cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the auth pool: requests for grains this server no longer runs are refused for their callers to resend")]
    private partial void LogRefusingForwards();
}
