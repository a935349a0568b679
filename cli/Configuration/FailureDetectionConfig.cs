namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.failure_detection: how fast the auth pool declares a dead or hung silo dead.</summary>
public sealed class FailureDetectionConfig
{
    /// <summary>probe_timeout: one liveness probe's timeout. Default 1s (Orleans' own default is 5s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>missed_probes: probes missed in a row before a silo votes its peer dead. Default 3.</summary>
    public int MissedProbes { get; init; } = 3;

    /// <summary>connection_liveness: let traffic on a connection to a suspect hold its death back. Default off.</summary>
    public bool ConnectionLiveness { get; init; }
}
