using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// Logs refused TLS peers on the Orleans ports at most <see cref="LinesPerInterval"/> times per source address and
/// listener every <see cref="Interval"/>, so a scanner or a misconfigured proxy cannot flood the log; the first
/// line of the next interval says how many refusals went unlogged. The certificate callback gets no connection, so a connection middleware in front of TLS records the
/// peer's address in an async-local that the callback, running in the same handshake, reads.
/// </summary>
public sealed partial class TlsRefusalLog(TimeProvider time, ILogger<TlsRefusalLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public const int LinesPerInterval = 10;

    private static readonly AsyncLocal<Handshake?> s_handshake = new();
    private readonly ConcurrentDictionary<(string Listener, string Source), Window> _windows = new();

    /// <summary>
    /// Puts the middleware that remembers the peer's address in front of the connection's TLS. A connection that
    /// ends without its certificate ever being judged never completed a handshake (plaintext, no certificate, too
    /// slow): that is logged here too, because the TLS layer's own log line is silenced (one per connection, with a
    /// stack trace, would let a flood fill the disk).
    /// </summary>
    public void Track(IConnectionBuilder builder, string listener) =>
        builder.Use(next => async context =>
        {
            var handshake = new Handshake(context.RemoteEndPoint);
            s_handshake.Value = handshake;
            try
            {
                await next(context);
            }
            finally
            {
                if (!handshake.Judged)
                {
                    Refuse(listener, handshake.Peer, "no TLS 1.3 handshake with a certificate was completed (plaintext, no client certificate, or too slow)");
                }
            }
        });

    /// <summary>Records the verdict of a certificate check; true when the peer is accepted.</summary>
    public bool Judge(string listener, string? refusal)
    {
        var handshake = s_handshake.Value;
        if (handshake is not null)
        {
            handshake.Judged = true;
        }

        if (refusal is null)
        {
            return true;
        }

        Refuse(listener, handshake?.Peer, refusal);
        return false;
    }

    private void Refuse(string listener, EndPoint? peer, string refusal)
    {
        var source = peer is IPEndPoint ip ? ip.Address.ToString() : peer?.ToString() ?? "unknown";
        var now = time.GetUtcNow();
        var window = _windows.AddOrUpdate(
            (listener, source),
            _ => new Window(now, Refused: 1, Unlogged: 0, Previous: 0),
            (_, old) => now - old.Start >= Interval
                ? new Window(now, Refused: 1, Unlogged: 0, Previous: old.Unlogged)
                : old with { Refused = old.Refused + 1, Unlogged = old.Refused + 1 > LinesPerInterval ? old.Unlogged + 1 : old.Unlogged });
        if (window.Refused <= LinesPerInterval)
        {
            LogRefused(listener, source, refusal, window.Previous);
        }

        if (_windows.Count > 10_000)
        {
            // Many sources: forget the old windows rather than grow without bound.
            foreach (var key in _windows.Where(w => now - w.Value.Start >= Interval).Select(w => w.Key).ToList())
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Handshake(EndPoint? peer)
    {
        public EndPoint? Peer { get; } = peer;

        public bool Judged { get; set; }
    }

    /// <param name="Previous">Refusals from this source the previous interval did not log.</param>
    private sealed record Window(DateTimeOffset Start, int Refused, int Unlogged, int Previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TLS connection to the Orleans {Listener} port from {Source}: {Reason} ({Unlogged} more refusals from this source went unlogged before)")]
    private partial void LogRefused(string listener, string source, string reason, int unlogged);
}
