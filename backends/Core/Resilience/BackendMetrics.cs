using System.Diagnostics.Metrics;

namespace Teleport.Orleans.Backends.Core.Resilience;

/// <summary>The backends' meter; the silo exports it with Orleans' own (<c>AddMeter(BackendMetrics.MeterName)</c>).</summary>
public static class BackendMetrics
{
    public const string MeterName = "Teleport.Orleans.Backends";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Backend calls retried after a transient failure, tagged with backend and operation.</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "teleport.backend.retries", unit: "{retry}", description: "Backend operations retried after a transient failure");

    /// <summary>Backend calls that failed after all their attempts, tagged with backend and operation.</summary>
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "teleport.backend.failures", unit: "{failure}", description: "Backend operations that failed after their last attempt");
}
