using Orleans.TestingHost;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Grains.Hosting;

namespace Teleport.Orleans.Grains.Tests.Hosting;

/// <summary>
/// An auth server that leaves the pool (SIGTERM, a rolling restart) while another server's grains wait on its grains:
/// the calls it accepted are answered, by it or by the server its grains move to, not failed as "silo unavailable".
/// </summary>
/// <remarks>
/// Runs alone (<see cref="SiloLeaveCollection"/>), as it times a leave. In CI (stops 25 and 26) 1 to 5 of the 40 calls
/// queued on the leaving silo ended as "silo unavailable": the silo's refusals reached the caller just after the news of
/// its death, which breaks the calls still waiting on it. <c>LeavingSiloRefusal</c> now pauses between the two; without
/// that pause this test failed 2 of 5 full runs of the project in an emptied environment, with it 0 of 10.
/// </remarks>
[Collection(SiloLeaveCollection.Name)]
public sealed class SiloLeaveTests : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        // As the auth service configures its silos (silo/Hosting/AuthServiceExtensions.cs).
        builder.ConfigureSilo((_, silo) => silo.AddOutgoingGrainCallFilter<RejectedCallRetry>().RefuseForwardsWhileLeaving());
        // As the proxies configure their client (gateway/Hosting/GatewayClientExtensions.cs).
        builder.ConfigureClient(client => client.AddOutgoingGrainCallFilter<RejectedCallRetry>());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>
    /// A call every 50 ms from a grain on the staying silo to a grain on the leaving one, each taking 200 ms: some run
    /// there, some are queued on it when it leaves, some reach it after its grains moved.
    /// </summary>
    [Fact]
    public async Task Calls_that_keep_coming_while_a_silo_leaves_are_all_answered()
    {
        var leaving = _cluster!.Silos[0];
        var staying = _cluster.Silos[1];
        var slowKey = await KeyOn<ISlowGrain>(leaving.SiloAddress, (grain) => grain.Where());
        var callerKey = await KeyOn<ISlowCallerGrain>(staying.SiloAddress, (grain) => grain.Where());
        SlowGrain.WorkStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = _cluster.Client.GetGrain<ISlowCallerGrain>(callerKey).CallMany(slowKey, count: 40, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50));
        await SlowGrain.WorkStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _cluster.StopSiloAsync(leaving);

        var outcomes = await calls.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome));
    }

    /// <summary>
    /// Eight callers outside the pool (as the proxies are) each start a call to a new grain every few milliseconds while
    /// one of the two silos, a gateway for about half of them, leaves: every new grain must be placed, which the leaving
    /// silo refuses once its part of the grain directory has stopped. The callers must not see those refusals.
    /// </summary>
    /// <remarks>
    /// A request already on the wire to the leaving gateway when its connection closes can go unanswered and end in
    /// Orleans' response timeout (seen once in 423 calls, in CI): a lost message, not the refusal this test is about,
    /// and not one a client may repeat (the call may have run). Those are counted apart and must stay rare; anything
    /// else fails the test.
    /// </remarks>
    [Fact]
    public async Task Client_calls_to_new_grains_while_a_gateway_silo_leaves_are_all_answered()
    {
        var leaving = _cluster!.Silos[0];
        var client = _cluster.Client;
        using var stop = new CancellationTokenSource();
        var callsMade = 0;
        var callers = Enumerable.Range(0, 8).Select(async caller =>
        {
            var outcomes = new List<string>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    // Odd callers call new grains, even ones the same few grains again (as logins call userlogin/0).
                    var key = caller % 2 == 1 ? (caller * 1_000_000) + i : i % 8;
                    await client.GetGrain<ISlowGrain>(key).Work(TimeSpan.FromMilliseconds(2));
                    outcomes.Add("ok");
                }
                catch (Exception ex)
                {
                    outcomes.Add(ex.GetType().Name + ": " + ex.Message);
                }

                Interlocked.Increment(ref callsMade);
            }

            return outcomes;
        }).ToArray();

        await CallsReach(200);
        var beforeLeave = Volatile.Read(ref callsMade);
        await _cluster.StopSiloAsync(leaving);
        await CallsReach(beforeLeave + 200);
        stop.Cancel();

        var outcomes = (await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60))).SelectMany(o => o).ToList();
        static bool Lost(string outcome) => outcome.StartsWith(nameof(TimeoutException) + ": Response did not arrive on time", StringComparison.Ordinal);
        var lost = outcomes.Count(Lost);
        Assert.All(outcomes.Where(outcome => !Lost(outcome)), outcome => Assert.Equal("ok", outcome));
        Assert.True(lost * 100 <= outcomes.Count, $"{lost} of {outcomes.Count} calls were lost in the leave (response timeout)");

        async Task CallsReach(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref callsMade) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the callers made {Volatile.Read(ref callsMade)} calls, not {count}, in 30 s");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>The first key whose activation lands on <paramref name="silo"/>.</summary>
    private async Task<long> KeyOn<TGrain>(SiloAddress silo, Func<TGrain, Task<string>> where)
        where TGrain : IGrainWithIntegerKey
    {
        for (long key = 1; key < 1000; key++)
        {
            if ((await where(_cluster!.Client.GetGrain<TGrain>(key))).EndsWith(silo.ToString(), StringComparison.Ordinal))
            {
                return key;
            }
        }

        throw new InvalidOperationException($"no activation was placed on {silo}");
    }
}

/// <summary>The silo-leave tests time a graceful leave, so no other test class shares the machine with them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloLeaveCollection
{
    public const string Name = "Silo leave";
}
