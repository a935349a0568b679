using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// Logs refused TLS peers on the Orleans ports at most <see cref="LogThrottle.LinesPerInterval"/> times per source
/// address and listener every <see cref="LogThrottle.Interval"/> (the SSH ports' <see cref="LogThrottle"/>), so a scanner or a misconfigured proxy cannot flood the log; the first
/// line of the next interval says how many refusals went unlogged. The certificate callback gets no connection, so a connection middleware in front of TLS records the
/// peer's address in an async-local that the callback, running in the same handshake, reads.
/// </summary>
public sealed partial class TlsRefusalLog(TimeProvider time, ILogger<TlsRefusalLog> logger)
{
    private static readonly AsyncLocal<Handshake?> s_handshake = new();

    /// <summary>Per listener and source address, as the SSH ports throttle theirs.</summary>
    private readonly LogThrottle _throttle = new(time);

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
        if (_throttle.Allow($"{listener} {source}", out var heldBack))
        {
            LogRefused(listener, source, refusal, heldBack);
        }
    }

    private sealed class Handshake(EndPoint? peer)
    {
        public EndPoint? Peer { get; } = peer;

        public bool Judged { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a TLS connection to the Orleans {Listener} port from {Source}: {Reason} ({Unlogged} more refusals from this source went unlogged before)")]
    private partial void LogRefused(string listener, string source, string reason, int unlogged);
}
