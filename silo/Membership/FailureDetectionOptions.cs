namespace Teleport.Orleans.Silo.Membership;

/// <summary>
/// How fast the auth pool declares a silo dead (auth_service.failure_detection). Grains of a dead or hung silo are
/// unreachable until then, so this bounds how long writes to them fail. Orleans' defaults (5 s probes, adaptive up
/// to 20 s, votes suppressed while a connection looks alive) left a SIGSTOPped silo alive after 33 s; these defaults
/// declare a killed silo dead in about 2 s and a hung one in about 3 s. Faster risks evicting a silo that pauses
/// (GC, CPU starvation); an evicted silo exits and its supervisor restarts it.
/// </summary>
public sealed record FailureDetectionOptions
{
    /// <summary>probe_timeout: how long one probe of a peer may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>missed_probes: missed probes in a row before a silo votes its peer dead.</summary>
    public int MissedProbes { get; init; } = 3;

    /// <summary>
    /// connection_liveness: whether traffic on a connection to the suspect holds votes back. Off: a hung silo whose
    /// TCP connections still accept bytes is declared dead by its probes, as a killed one is.
    /// </summary>
    public bool ConnectionLiveness { get; init; }
}
