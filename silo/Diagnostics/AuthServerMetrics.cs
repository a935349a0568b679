using System.Diagnostics;
using System.Diagnostics.Metrics;
using Teleport.Orleans.Grains.Diagnostics;
using Teleport.Orleans.Silo.Bootstrap;

namespace Teleport.Orleans.Silo.Diagnostics;

/// <summary>
/// What this auth server holds open: hosts connected to it by their access-policy watch (Teleport's
/// <c>teleport_connected_resources</c>, by system role), and whether it serves yet (<c>process_state</c>).
/// </summary>
internal sealed class AuthServerMetrics
{
    private readonly UpDownCounter<long> _connected;

    public AuthServerMetrics(IMeterFactory meters, AuthBootstrapper bootstrapper)
    {
        var meter = meters.Create(AuthMetrics.MeterName);
        _connected = meter.CreateUpDownCounter<long>("teleport_connected_resources", description: "Hosts holding a watch stream to this auth server, by type");
        // Teleport's values: 0 ok, 1 recovering, 2 degraded, 3 starting.
        meter.CreateObservableGauge("process_state", () => bootstrapper.Ready.IsCompletedSuccessfully ? 0 : 3, description: "0 serving, 3 starting");
    }

    /// <summary>Counts a connected host of <paramref name="type"/> until the result is disposed.</summary>
    public Connection Connected(string type)
    {
        var tags = new TagList { { "type", type } };
        _connected.Add(1, tags);
        return new Connection(_connected, tags);
    }

    public readonly struct Connection(UpDownCounter<long> counter, TagList tags) : IDisposable
    {
        public void Dispose() => counter.Add(-1, tags);
    }
}
