using System.Diagnostics.Metrics;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Tests.Support;

/// <summary>Sums what the backends' counters record for one backend tag, while it is alive.</summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _backend;
    private readonly Dictionary<string, long> _totals = [];

    public CounterRecorder(string backend)
    {
        _backend = backend;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == BackendMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "backend" && (string?)tag.Value == _backend)
                {
                    lock (_totals)
                    {
                        _totals[instrument.Name] = Total(instrument.Name) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    public long Total(string instrument)
    {
        lock (_totals)
        {
            return _totals.GetValueOrDefault(instrument);
        }
    }

    public void Dispose() => _listener.Dispose();
}
