using Teleport.Orleans.Gateway.Tunnels;

namespace Teleport.Orleans.Gateway.Tests.Tunnels;

/// <summary>After a restart the proxy lets a bounded number of tunnel handshakes run and turns the rest away at once.</summary>
public sealed class TunnelAdmissionTests
{
    [Fact]
    public void Handshakes_are_admitted_up_to_the_bound_and_the_next_is_refused()
    {
        var admission = new TunnelAdmission(3);

        var admitted = Enumerable.Range(0, 3).Select(_ => admission.TryEnter()).ToList();

        Assert.All(admitted, Assert.NotNull);
        Assert.Null(admission.TryEnter());
        Assert.Equal(3, admission.InFlight);
        Assert.Equal(1, admission.Refused);
    }

    [Fact]
    public void A_finished_handshake_makes_room_for_the_next_once_even_when_released_twice()
    {
        var admission = new TunnelAdmission(1);
        var first = admission.TryEnter()!;

        first.Dispose();
        first.Dispose();

        Assert.NotNull(admission.TryEnter());
        Assert.Null(admission.TryEnter());
    }

    [Fact]
    public async Task Agents_dialing_all_at_once_never_get_more_than_the_bound_in()
    {
        var admission = new TunnelAdmission(8);
        var peak = 0;
        var admittedCount = 0;

        await Parallel.ForAsync(0, 2000, async (_, _) =>
        {
            using var ticket = admission.TryEnter();
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
        Assert.Equal(2000, admittedCount + admission.Refused);
    }

    [Fact]
    public void A_bound_below_one_is_refused_with_a_clear_reason()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TunnelAdmission(0));

        Assert.Contains("at least 1", error.Message, StringComparison.Ordinal);
    }
}
