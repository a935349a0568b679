using System.Net;
using Microsoft.Extensions.Time.Testing;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Ssh.Tests.Server;

/// <summary>Which waiting connection a full budget closes for a newcomer, the per-address share, and the deadline.</summary>
public sealed class UnauthenticatedConnectionBudgetTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _closed = [];

    [Fact]
    public void Idle_connection_is_evicted_for_a_newcomer_when_the_budget_is_full()
    {
        var budget = Budget(capacity: 3);
        Admit(budget, "silent", 1);
        var active = Admit(budget, "active", 2);
        var other = Admit(budget, "other", 3);
        _time.Advance(TimeSpan.FromSeconds(5));
        active.Received();
        other.Received();

        var newcomer = Admit(budget, "newcomer", 4);

        Assert.Equal(["silent"], _closed);
        Assert.Equal(3, budget.Count);
        Assert.False(newcomer.Evicted);
    }

    [Fact]
    public void Of_idle_connections_the_one_silent_longest_goes_first()
    {
        var budget = Budget(capacity: 3);
        var first = Admit(budget, "first", 1);
        Admit(budget, "second", 2);
        Admit(budget, "third", 3);
        _time.Advance(TimeSpan.FromSeconds(10));
        // The first spoke 5 s ago; the second and third never did, and the second is older than the third.
        first.Received();
        _time.Advance(TimeSpan.FromSeconds(5));

        Admit(budget, "fourth", 4);
        Admit(budget, "fifth", 5);

        Assert.Equal(["second", "third"], _closed);
    }

    [Fact]
    public void When_every_connection_is_active_the_earliest_admitted_goes()
    {
        // A slowloris trickling a byte a second never looks idle; its age gives it away.
        var budget = Budget(capacity: 2);
        var trickler = Admit(budget, "trickler", 1);
        _time.Advance(TimeSpan.FromSeconds(30));
        var user = Admit(budget, "user", 2);
        trickler.Received();
        user.Received();

        Admit(budget, "newcomer", 3);

        Assert.Equal(["trickler"], _closed);
        Assert.True(trickler.Evicted);
        Assert.False(user.Evicted);
    }

    [Fact]
    public void An_address_at_its_share_churns_its_own_connections_and_no_one_else_s()
    {
        var budget = Budget(capacity: 10, perAddress: 2);
        Admit(budget, "bystander", 9);
        _time.Advance(TimeSpan.FromSeconds(5));
        Admit(budget, "flood-1", 1);
        Admit(budget, "flood-2", 1);
        _time.Advance(TimeSpan.FromSeconds(5));

        Admit(budget, "flood-3", 1);
        Admit(budget, "flood-4", 1);

        Assert.Equal(["flood-1", "flood-2"], _closed);
        Assert.Equal(3, budget.Count);
    }

    [Fact]
    public void Connections_a_relay_vouched_for_leave_their_address_s_share_and_the_others_from_it_keep_it()
    {
        // Every connection a proxy dials comes from the proxy's address; the vouched ones are its users.
        var budget = Budget(capacity: 10, perAddress: 2);
        var relayed = new List<UnauthenticatedConnection>();
        for (var i = 1; i <= 4; i++)
        {
            var connection = Admit(budget, $"relayed-{i}", 1);
            connection.RelayVouched();
            relayed.Add(connection);
        }

        Admit(budget, "flood-1", 1);
        Admit(budget, "flood-2", 1);
        Admit(budget, "flood-3", 1);

        Assert.Equal(["flood-1"], _closed);
        Assert.All(relayed, connection => Assert.False(connection.Evicted));
        Assert.Equal(6, budget.Count);
    }

    [Fact]
    public void Vouched_connections_still_count_against_the_whole_budget()
    {
        var budget = Budget(capacity: 2, perAddress: 1);
        Admit(budget, "first", 1).RelayVouched();
        Admit(budget, "second", 1).RelayVouched();

        Admit(budget, "third", 1);

        Assert.Equal(["first"], _closed);
        Assert.Equal(2, budget.Count);
    }

    [Fact]
    public void A_newcomer_is_always_admitted_even_from_a_full_address()
    {
        var budget = Budget(capacity: 1, perAddress: 1);
        Admit(budget, "flood", 1);

        var user = Admit(budget, "user", 1);

        Assert.Equal(["flood"], _closed);
        Assert.False(user.Evicted);
        Assert.Equal(1, budget.Count);
    }

    [Fact]
    public void An_authenticated_connection_leaves_the_budget_and_is_never_closed_by_it()
    {
        var budget = Budget(capacity: 1, deadline: TimeSpan.FromSeconds(30));
        var user = Admit(budget, "user", 1);

        user.Authenticated();
        Admit(budget, "next", 2);
        Admit(budget, "after", 3);
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.DoesNotContain("user", _closed);
        Assert.False(user.Evicted);
    }

    [Fact]
    public void A_connection_not_authenticated_by_the_deadline_is_closed_and_frees_its_place()
    {
        var budget = Budget(capacity: 5, deadline: TimeSpan.FromSeconds(30));
        var late = Admit(budget, "late", 1);
        _time.Advance(TimeSpan.FromSeconds(20));
        var early = Admit(budget, "early", 2);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["late"], _closed);
        Assert.True(late.Evicted);
        Assert.Equal(1, budget.Count);
        early.Authenticated();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["late"], _closed);
        Assert.Equal(0, budget.Count);
    }

    [Fact]
    public void Ipv4_mapped_addresses_share_the_share_of_their_ipv4_address()
    {
        var budget = Budget(capacity: 10, perAddress: 1);
        budget.Admit(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000), () => _closed.Add("plain"));

        budget.Admit(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.1"), 1001), () => _closed.Add("mapped"));

        Assert.Equal(["plain"], _closed);
    }

    [Fact]
    public void A_close_action_that_throws_does_not_fail_the_newcomer()
    {
        var budget = Budget(capacity: 1);
        budget.Admit(Endpoint(1), () => throw new ObjectDisposedException("socket"));

        var newcomer = Admit(budget, "newcomer", 2);

        Assert.False(newcomer.Evicted);
        Assert.Equal(1, budget.Count);
    }

    private UnauthenticatedConnectionBudget Budget(int capacity, int perAddress = 100, TimeSpan? deadline = null) => new(new UnauthenticatedConnectionBudgetOptions
    {
        Capacity = capacity,
        PerAddress = perAddress,
        Deadline = deadline ?? Timeout.InfiniteTimeSpan,
        IdleAfter = TimeSpan.FromSeconds(1),
        TimeProvider = _time,
    });

    private UnauthenticatedConnection Admit(UnauthenticatedConnectionBudget budget, string name, int host) =>
        budget.Admit(Endpoint(host), () => _closed.Add(name));

    private static IPEndPoint Endpoint(int host) => new(new IPAddress([10, 0, 0, (byte)host]), 40000 + host);
}
