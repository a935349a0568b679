using System.Collections.Concurrent;
using System.Diagnostics;

namespace Teleport.Orleans.Failover;

/// <summary>Every request's outcome with the time it started, on one clock shared with the fault's marks.</summary>
internal sealed class Recorder
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Outcome> _outcomes = new();

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyCollection<Outcome> Outcomes => _outcomes;

    public void Add(string operation, TimeSpan started, bool ok, string detail = "") =>
        _outcomes.Enqueue(new Outcome(operation, started, ok, detail));

    /// <summary>Runs one request and records it; an exception is a failure whose detail is its type and message.</summary>
    public async Task Measure(string operation, Func<Task<string?>> request)
    {
        var started = Now;
        try
        {
            var failure = await request();
            Add(operation, started, failure is null, failure ?? "");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Add(operation, started, false, Describe(ex));
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        Grpc.Core.RpcException rpc => $"grpc {rpc.StatusCode}",
        HttpRequestException http => http.StatusCode is { } status ? $"http {(int)status}" : "http connection failed",
        TaskCanceledException or OperationCanceledException => "timeout",
        _ => ex.GetType().Name,
    };
}

internal sealed record Outcome(string Operation, TimeSpan Started, bool Ok, string Detail);
