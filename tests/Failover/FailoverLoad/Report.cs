using System.Globalization;
using System.Text;

namespace Teleport.Orleans.Failover;

/// <summary>
/// What one fault did to the load: per operation the failures and when they began and ended, relative to the
/// injection (+) and to the removal of the cause; the proxies' tunnels; lost acknowledged writes; node heartbeat
/// failures from its log.
/// </summary>
internal static class Report
{
    private static readonly string[] Operations = ["login", "certs", "write", "ssh"];

    public static (string Text, bool Recovered) Build(
        string fault, FaultMarks marks, IReadOnlyCollection<Outcome> outcomes, TimeSpan loadEnd, IReadOnlyList<string> lost, int okLogins, int auditedLogins,
        IReadOnlyList<TimeSpan> heartbeatFailures, string tunnels, TimeSpan quiet)
    {
        var text = new StringBuilder();
        var during = outcomes.Where(o => o.Started >= marks.Injected).ToList();
        var failed = during.Where(o => !o.Ok).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"== {fault}: {marks.Note}");
        if (failed.Count > 0)
        {
            var first = failed.Min(o => o.Started);
            var last = failed.Max(o => o.Started);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"   recovery (first to last failure): {(last - first).TotalSeconds:0.0}s, from +{S(first - marks.Injected)} to +{S(last - marks.Injected)} ({S(last - marks.Ended)} after the cause was removed)");
        }
        else
        {
            text.AppendLine("   recovery: no request failed");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"   failed requests: {failed.Count} of {during.Count}");
        foreach (var operation in Operations)
        {
            var mine = during.Where(o => o.Operation == operation).ToList();
            var bad = mine.Where(o => !o.Ok).ToList();
            var line = $"     {operation,-6} {bad.Count,4} failed of {mine.Count,5}";
            if (bad.Count > 0)
            {
                var kinds = bad.GroupBy(o => Short(o.Detail)).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}x {g.Key}");
                line += $"  +{S(bad.Min(o => o.Started) - marks.Injected)}..+{S(bad.Max(o => o.Started) - marks.Injected)}  [{string.Join("; ", kinds)}]";
            }

            text.AppendLine(line);
        }

        var ssh = failed.Where(o => o.Operation == "ssh").ToList();
        text.AppendLine(ssh.Count == 0 ? "   node1 reachable through the public LB throughout"
            : $"   node1 reachable again (tunnel back) at +{S(ssh.Max(o => o.Started) - marks.Injected)} after the last failed session");
        text.AppendLine("   " + tunnels);
        text.AppendLine(CultureInfo.InvariantCulture, $"   acknowledged writes lost: {lost.Count}{(lost.Count > 0 ? " (" + string.Join(", ", lost.Take(5)) + ")" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"   audited successful logins: {auditedLogins} of {okLogins} acknowledged");
        text.AppendLine(heartbeatFailures.Count == 0 ? "   node1 heartbeats: no failure logged"
            : $"   node1 heartbeats: {heartbeatFailures.Count} failures logged, +{S(heartbeatFailures.Min() - marks.Injected)}..+{S(heartbeatFailures.Max() - marks.Injected)}");

        // Recovered: no operation failed in the last `quiet` seconds of the load, and nothing was lost.
        var recovered = lost.Count == 0 && !outcomes.Any(o => !o.Ok && o.Started >= loadEnd - quiet);
        text.Append(recovered ? "   RECOVERED" : "   NOT RECOVERED (failures in the last seconds of the load, or lost writes)");
        return (text.ToString(), recovered);
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static string Short(string detail) => detail.Length > 90 ? detail[..90] : detail;
}
