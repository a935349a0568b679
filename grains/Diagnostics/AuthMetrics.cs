using System.Diagnostics;
using System.Diagnostics.Metrics;
using Teleport.Orleans.Backends.Core.Diagnostics;

namespace Teleport.Orleans.Grains.Diagnostics;

/// <summary>
/// The auth service's own meter, with Teleport's metric names where Teleport has one, so dashboards and alerts
/// written for Teleport read these too. Names are final Prometheus names (the exporter adds no suffix).
/// </summary>
public sealed class AuthMetrics
{
    public const string MeterName = "Teleport.Orleans.Auth";

    private readonly Counter<long> _logins;
    private readonly Counter<long> _failedLogins;
    private readonly Counter<long> _userCertificates;
    private readonly Counter<long> _generateRequests;
    private readonly UpDownCounter<long> _generateInFlight;
    private readonly Histogram<double> _generateSeconds;
    private readonly Counter<long> _auditEmitted;
    private readonly Counter<long> _auditFailed;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _heartbeatsMissed;

    public AuthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("user_login_total", description: "Login attempts (web API and auth API)");
        _failedLogins = meter.CreateCounter<long>("failed_login_attempts_total", description: "Login attempts refused: wrong password or second factor, unknown or locked user");
        _userCertificates = meter.CreateCounter<long>("teleport_user_certificates_generated", description: "User certificates issued (OpenSSH and X.509 pairs)");
        _generateRequests = meter.CreateCounter<long>("auth_generate_requests_total", description: "Host certificate requests (joins, renewals)");
        _generateInFlight = meter.CreateUpDownCounter<long>("auth_generate_requests", description: "Host certificate requests in flight");
        _generateSeconds = meter.CreateHistogram("auth_generate_seconds", unit: "s", description: "Time to issue host certificates", advice: LatencyBuckets.Advice);
        _auditEmitted = meter.CreateCounter<long>("teleport_audit_emit_events", description: "Audit events stored");
        _auditFailed = meter.CreateCounter<long>("audit_failed_emit_events", description: "Audit events that could not be stored (the action that caused them failed)");
        _heartbeats = meter.CreateCounter<long>("teleport_heartbeats_received_total", description: "Node heartbeats received");
        _heartbeatsMissed = meter.CreateCounter<long>("heartbeats_missed_total", description: "Nodes whose lease ran out without a heartbeat");
        // Every counter has a series from the start (at 0): an alert on a rate needs one, as with Teleport.
        foreach (var counter in new[] { _logins, _failedLogins, _userCertificates, _generateRequests, _auditEmitted, _auditFailed, _heartbeats, _heartbeatsMissed })
        {
            counter.Add(0);
        }
    }

    public void LoginAttempted() => _logins.Add(1);

    public void LoginFailed() => _failedLogins.Add(1);

    public void UserCertificateIssued() => _userCertificates.Add(1);

    /// <summary>Counts a host certificate request and times it until the result is disposed.</summary>
    public HostCertificateTiming StartHostCertificate()
    {
        _generateRequests.Add(1);
        _generateInFlight.Add(1);
        return new HostCertificateTiming(this, Stopwatch.GetTimestamp());
    }

    /// <summary>Awaits an audit write and counts it as stored or failed.</summary>
    public async Task TrackAuditWrite(Task write)
    {
        try
        {
            await write;
            _auditEmitted.Add(1);
        }
        catch
        {
            _auditFailed.Add(1);
            throw;
        }
    }

    public void HeartbeatReceived() => _heartbeats.Add(1);

    public void HeartbeatMissed() => _heartbeatsMissed.Add(1);

    public readonly struct HostCertificateTiming(AuthMetrics metrics, long started) : IDisposable
    {
        public void Dispose()
        {
            metrics._generateInFlight.Add(-1);
            metrics._generateSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
