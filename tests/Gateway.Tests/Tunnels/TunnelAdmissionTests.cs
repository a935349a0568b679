using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>
/// After a restart the proxy lets a bounded number of tunnel handshakes run, lines up the agents over the bound for a
/// few seconds (longer, and more of them, when it can tell them they are in line), and turns away only those the line
/// cannot hold.
/// </summary>
public sealed class TunnelAdmissionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Handshakes_are_admitted_up_to_the_bound_and_the_next_waits_for_a_place()
    {
        var admission = new TunnelAdmission(3);
        var admitted = new List<TunnelAdmission.Ticket?>();
        for (var i = 0; i < 3; i++)
        {
            admitted.Add(await admission.EnterAsync(CancellationToken.None));
        }

        var waiting = admission.EnterAsync(CancellationToken.None).AsTask();

        Assert.All(admitted, Assert.NotNull);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, admission.Queued);
        admitted[0]!.Dispose();
        Assert.NotNull(await waiting.WaitAsync(Patience));
        Assert.Equal(3, admission.InFlight);
        Assert.Equal(0, admission.Queued);
    }

    [Fact]
    public async Task Places_go_to_the_agents_in_the_order_they_came()
    {
        var admission = new TunnelAdmission(1, 10, Patience);
        var first = await admission.EnterAsync(CancellationToken.None);
        var second = admission.EnterAsync(CancellationToken.None).AsTask();
        var third = admission.EnterAsync(CancellationToken.None).AsTask();

        first!.Dispose();

        Assert.NotNull(await second.WaitAsync(Patience));
        Assert.False(third.IsCompleted);
        (await second)!.Dispose();
        Assert.NotNull(await third.WaitAsync(Patience));
    }

    [Fact]
    public async Task An_agent_is_refused_at_once_when_the_line_is_full()
    {
        var admission = new TunnelAdmission(1, 1, Patience);
        using var first = await admission.EnterAsync(CancellationToken.None);
        var second = admission.EnterAsync(CancellationToken.None).AsTask();

        var third = admission.EnterAsync(CancellationToken.None);

        Assert.True(third.IsCompleted);
        Assert.Null(await third);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, admission.Refused);
    }

    [Fact]
    public async Task An_agent_that_waited_the_longest_allowed_is_refused_and_leaves_the_line()
    {
        var admission = new TunnelAdmission(1, 10, TimeSpan.FromMilliseconds(50));
        using var first = await admission.EnterAsync(CancellationToken.None);

        Assert.Null(await admission.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Patience));
        Assert.Equal(0, admission.Queued);
        Assert.Equal(1, admission.Refused);
        first!.Dispose();
        Assert.Equal(0, admission.InFlight);
    }

    [Fact]
    public async Task A_waiting_agent_whose_connection_ends_leaves_the_line()
    {
        var admission = new TunnelAdmission(1, 10, Patience);
        using var first = await admission.EnterAsync(CancellationToken.None);
        using var connection = new CancellationTokenSource();
        var waiting = admission.EnterAsync(connection.Token).AsTask();

        await connection.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        Assert.Equal(0, admission.Queued);
    }

    [Fact]
    public async Task A_finished_handshake_makes_room_for_the_next_once_even_when_released_twice()
    {
        var admission = new TunnelAdmission(1, 0, Patience);
        var first = await admission.EnterAsync(CancellationToken.None);

        first!.Dispose();
        first.Dispose();

        Assert.NotNull(await admission.EnterAsync(CancellationToken.None));
        Assert.Null(await admission.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Agents_dialing_all_at_once_never_get_more_than_the_bound_in_and_all_get_in_while_the_line_holds_them()
    {
        var admission = new TunnelAdmission(8, 2000, Patience);
        var peak = 0;
        var admittedCount = 0;

        await Parallel.ForAsync(0, 2000, async (_, _) =>
        {
            using var ticket = await admission.EnterAsync(CancellationToken.None);
            if (ticket is null)
            {
                return;
            }

            Interlocked.Increment(ref admittedCount);
            var now = admission.InFlight;
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }

            await Task.Yield();
        });

        Assert.InRange(peak, 1, 8);
        Assert.Equal(0, admission.InFlight);
        Assert.Equal(2000, admittedCount);
        Assert.Equal(0, admission.Refused);
    }

    [Fact]
    public async Task An_agent_kept_informed_still_gets_in_line_when_the_silent_line_is_full()
    {
        var admission = new TunnelAdmission(1, new TunnelAdmission.Line(1, Patience), new TunnelAdmission.Line(3, Patience));
        using var first = await admission.EnterAsync(CancellationToken.None);
        var silent = admission.EnterAsync(CancellationToken.None).AsTask();

        var silentTurnedAway = await admission.EnterAsync(informed: false, CancellationToken.None);
        var informed = admission.EnterAsync(informed: true, CancellationToken.None).AsTask();
        var informedToo = admission.EnterAsync(informed: true, CancellationToken.None).AsTask();
        var informedTurnedAway = await admission.EnterAsync(informed: true, CancellationToken.None);

        Assert.Null(silentTurnedAway);
        Assert.Null(informedTurnedAway);
        Assert.Equal(3, admission.Queued);
        Assert.Equal(2, admission.Refused);
        first!.Dispose();
        (await silent.WaitAsync(Patience))!.Dispose();
        (await informed.WaitAsync(Patience))!.Dispose();
        Assert.NotNull(await informedToo.WaitAsync(Patience));
    }

    [Fact]
    public async Task An_agent_kept_informed_waits_longer_than_a_silent_one()
    {
        var admission = new TunnelAdmission(1, new TunnelAdmission.Line(10, TimeSpan.FromMilliseconds(50)), new TunnelAdmission.Line(10, Patience));
        var first = await admission.EnterAsync(CancellationToken.None);
        var informed = admission.EnterAsync(informed: true, CancellationToken.None).AsTask();

        Assert.Null(await admission.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Patience));
        Assert.False(informed.IsCompleted);
        first!.Dispose();
        Assert.NotNull(await informed.WaitAsync(Patience));
    }

    [Fact]
    public void The_default_lines_hold_more_agents_kept_informed_than_silent_ones_and_let_them_wait_longer()
    {
        var admission = new TunnelAdmission(32);

        Assert.Equal(32 * TunnelAdmission.DefaultQueuedPerPlace, admission.Silent.MaxQueued);
        Assert.Equal(32 * TunnelAdmission.DefaultInformedPerPlace, admission.Informed.MaxQueued);
        Assert.Equal(admission.Informed.MaxQueued, admission.MaxQueued);
        Assert.True(admission.Informed.MaxWait > admission.Silent.MaxWait);
    }

    [Fact]
    public void A_bound_below_one_is_refused_with_a_clear_reason()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TunnelAdmission(0));

        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);
    }
}
