namespace Teleport.Orleans.Ssh.Server;

/// <summary>Sizes of an <see cref="UnauthenticatedConnectionBudget"/>; read once when the budget is constructed.</summary>
public sealed class UnauthenticatedConnectionBudgetOptions
{
    /// <summary>Connections that may wait for authentication at once (sshd's MaxStartups); a newcomer beyond it evicts one.</summary>
    public int Capacity { get; set; } = 10;

    /// <summary>Of those, how many may come from one IP address; a newcomer beyond it evicts one of its own address's.</summary>
    public int PerAddress { get; set; } = 10;

    /// <summary>Time from admission after which a connection still waiting is closed (sshd's LoginGraceTime); infinite for none.</summary>
    public TimeSpan Deadline { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Silence after which a connection counts as idle. Idle connections are evicted first, longest silent first;
    /// when none is idle, the one admitted earliest goes.
    /// </summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What the budget guards, for log lines, e.g. "SSH 0.0.0.0:3022".</summary>
    public string Name { get; set; } = "listener";

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
