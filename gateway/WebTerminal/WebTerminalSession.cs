using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Contracts.WebTerminal;
using Teleport.Orleans.Gateway.SshProxy;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// One running web terminal: terminal output to the browser as <c>r</c> envelopes (UTF-8 kept whole across reads),
/// the browser's <c>r</c> to the shell, <c>w</c> to a window change, <c>c</c> to hang up. When the shell ends the
/// browser gets a <c>c</c> envelope saying how, then the WebSocket closes.
/// </summary>
internal sealed partial class WebTerminalSession(
    IGrainFactory grains, WebSession webSession, TerminalRequest request, Node node, SshPrivateKey key, SshClient client, SshSession ssh,
    AuditedStream stream, WebTerminalWatch watch, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan MetadataWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LatencyInterval = TimeSpan.FromSeconds(5);

    // Held for the terminal's whole life, idle or not: big enough for a screenful per read, no bigger.
    private const int OutputBuffer = 8 * 1024;
    private const int ErrorBuffer = 1024;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <param name="browserRoundTrip">The network round trip to the browser now, when known (for the <c>l</c> envelope).</param>
    public async Task Run(EnvelopeSocket socket, Func<TimeSpan?> browserRoundTrip, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // With a pty the shell writes everything to stdout; stderr only carries what the node says before or after it.
        var output = Task.WhenAll(Forward(ssh.StandardOutput, socket, OutputBuffer, stop.Token), Forward(ssh.StandardError, socket, ErrorBuffer, stop.Token));
        var input = Receive(socket, stop.Token);
        var watching = watch.Run(stop.Token);
        _ = SendMetadata(socket, stop.Token);
        var latency = ReportLatency(socket, browserRoundTrip, stop.Token);
        var first = await Task.WhenAny(output, input, watching);
        if (first == watching && !watching.IsCompletedSuccessfully)
        {
            // The watch failed: the terminal goes on without it.
            first = await Task.WhenAny(output, input);
        }

        string reason;
        if (first == watching && watching.IsCompletedSuccessfully)
        {
            // The web session ended or a lock applies: the shell is hung up on, and the browser is told why.
            reason = await watching;
        }
        else if (first == output)
        {
            // A lock ends the connection to the node too (ActiveConnections); saying so beats "connection closed".
            reason = watch.Locked() ?? await EndReason();
        }
        else
        {
            reason = "you closed the terminal";
        }

        try
        {
            await socket.SendEnvelope(EnvelopeSocket.Close, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The browser is gone.
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "session ended");
        // The browser answers the close; until then its last frames may be unread, and an abort would reset them away.
        await Task.WhenAny(input, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        await stop.CancelAsync();
        await Task.WhenAll(Quietly(output), Quietly(input), Quietly(watching), Quietly(latency));
        LogEnded(logger, webSession.User, node.Hostname, reason);
    }

    public async ValueTask DisposeAsync()
    {
        watch.Dispose();
        await ssh.DisposeAsync();
        await client.DisposeAsync();
        await stream.DisposeAsync();
        key.Dispose();
    }

    private async Task<string> EndReason()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var exit = await ssh.WaitForExitAsync(timeout.Token);
            return $"session ended ({exit})";
        }
        catch (Exception ex) when (ex is SshConnectionException or OperationCanceledException)
        {
            return $"the connection to {node.Hostname} ended: {ex.Message}";
        }
    }

    private static async Task Forward(Stream from, EnvelopeSocket socket, int bufferSize, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[bufferSize];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        int read;
        while ((read = await from.ReadAsync(bytes, cancellationToken)) > 0)
        {
            // A character split across two reads waits in the decoder for its other half.
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            if (count > 0)
            {
                await socket.SendEnvelope(EnvelopeSocket.Raw, new string(chars, 0, count), cancellationToken);
            }
        }
    }

    private async Task Receive(EnvelopeSocket socket, CancellationToken cancellationToken)
    {
        while (await socket.Receive(cancellationToken) is { } message)
        {
            if (message.Type != WebSocketMessageType.Binary)
            {
                continue;
            }

            Envelope envelope;
            try
            {
                envelope = Envelope.Parser.ParseFrom(message.Data);
            }
            catch (InvalidProtocolBufferException)
            {
                continue;
            }

            switch (envelope.Type)
            {
                case EnvelopeSocket.Raw:
                    watch.Typed();
                    await ssh.StandardInput.WriteAsync(Encoding.UTF8.GetBytes(envelope.Payload), cancellationToken);
                    await ssh.StandardInput.FlushAsync(cancellationToken);
                    break;
                case EnvelopeSocket.Resize when ParseSize(envelope.Payload) is { } size:
                    await ssh.ChangeWindowSizeAsync(size, cancellationToken);
                    break;
                case EnvelopeSocket.Close:
                    return;
            }
        }
    }

    /// <summary>
    /// Teleport's <c>l</c> envelope every few seconds: <c>{"ws": ms, "ssh": ms}</c>, the browser's TCP round trip and
    /// the time the node's SSH server takes to answer a keepalive through the proxy's connection.
    /// </summary>
    private async Task ReportLatency(EnvelopeSocket socket, Func<TimeSpan?> browserRoundTrip, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(LatencyInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(LatencyInterval);
                await client.SendKeepAliveAsync(timeout.Token);
            }
            catch (SshConnectionException)
            {
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the interval: the figure would be stale, so none is sent this time.
                continue;
            }

            var nodeTime = Stopwatch.GetElapsedTime(started);
            var browserTime = browserRoundTrip() ?? TimeSpan.Zero;
            var payload = JsonSerializer.Serialize(new { ws = (long)Math.Round(browserTime.TotalMilliseconds), ssh = (long)Math.Round(nodeTime.TotalMilliseconds) });
            await socket.SendEnvelope(EnvelopeSocket.Latency, payload, cancellationToken);
        }
    }

    /// <summary>Teleport's <c>s</c> envelope, once the node's session tracker shows the session's id.</summary>
    private async Task SendMetadata(EnvelopeSocket socket, CancellationToken cancellationToken)
    {
        try
        {
            var directory = grains.GetGrain<ISessionDirectoryGrain>(ISessionDirectoryGrain.DefaultKey);
            var deadline = DateTimeOffset.UtcNow + MetadataWait;
            SessionTracker? tracker = null;
            while (tracker is null && DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                var trackers = await directory.List(includeTerminated: false);
                tracker = request.Joining
                    ? trackers.FirstOrDefault(t => t.SessionId == request.SessionId)
                    : trackers.Where(t => t.User == webSession.User && t.NodeId == node.Name && t.Login == request.Login && t.Created >= _started.AddSeconds(-2))
                        .OrderBy(t => t.Created).FirstOrDefault();
                if (tracker is null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
            }

            var payload = JsonSerializer.Serialize(new
            {
                session = new
                {
                    id = tracker?.SessionId ?? "",
                    kind = "ssh",
                    parties = (tracker?.Participants ?? []).Select(p => new { user = p.User, mode = p.Mode, server_id = node.Name }),
                    login = tracker?.Login ?? request.Login,
                    server_id = node.Name,
                    server_hostname = node.Hostname,
                    server_addr = node.Addr,
                    created = (tracker?.Created ?? _started).UtcDateTime,
                    terminal_params = new { w = request.Term.W, h = request.Term.H },
                    cluster_name = tracker?.ClusterName ?? "",
                },
            });
            await socket.SendEnvelope(EnvelopeSocket.SessionData, payload, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The terminal ended first.
        }
        catch (Exception ex) when (Contracts.Errors.AuthPoolUnreachable.Describe(ex) is not null)
        {
            LogNoMetadata(logger, ex.Message);
        }
    }

    private static SshWindowSize? ParseSize(string payload)
    {
        try
        {
            var size = JsonSerializer.Deserialize<ResizePayload>(payload)?.Size ?? "";
            var parts = size.Split(':');
            return parts.Length == 2 && uint.TryParse(parts[0], out var w) && uint.TryParse(parts[1], out var h)
                && w is >= 1 and <= TerminalRequest.MaxSize && h is >= 1 and <= TerminalRequest.MaxSize
                ? new SshWindowSize(w, h, 0, 0)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidDataException)
        {
            // Either side going away ends the terminal; nothing to report.
        }
    }

    private sealed record ResizePayload([property: JsonPropertyName("size")] string? Size);
}
