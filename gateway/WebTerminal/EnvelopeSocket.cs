using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Teleport.Orleans.Contracts.WebTerminal;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// The web terminal's WebSocket: text frames for the token handshake, then binary protobuf <see cref="Envelope"/>s.
/// Sends are serialized (output, metadata and the end message come from different tasks).
/// </summary>
internal sealed class EnvelopeSocket(WebSocket socket)
{
    public const string Raw = "r";
    public const string Resize = "w";
    public const string Close = "c";
    public const string Error = "e";
    public const string SessionData = "s";
    public const string Latency = "l";

    /// <summary>The largest frame a browser may send (a paste is split by xterm.js far below this).</summary>
    private const int MaxFrame = 1 << 20;

    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[4 * 1024];

    public WebSocketState State => socket.State;

    public Task SendText(object message, CancellationToken cancellationToken) =>
        Send(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, cancellationToken);

    public Task SendEnvelope(string type, string payload, CancellationToken cancellationToken) =>
        Send(new Envelope { Version = "1", Type = type, Payload = payload }.ToByteArray(), WebSocketMessageType.Binary, cancellationToken);

    /// <summary>The next whole message; null when the browser closed.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)?> Receive(CancellationToken cancellationToken)
    {
        // One receiver at a time (the handshake, then the input loop), so one small buffer serves every message.
        var result = await socket.ReceiveAsync(_receiveBuffer, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        if (result.EndOfMessage)
        {
            // A keystroke or a resize: the common case, one read and one exact copy.
            return (result.MessageType, _receiveBuffer.AsSpan(0, result.Count).ToArray());
        }

        using var message = new MemoryStream();
        message.Write(_receiveBuffer, 0, result.Count);
        while (true)
        {
            result = await socket.ReceiveAsync(_receiveBuffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(_receiveBuffer, 0, result.Count);
            if (message.Length > MaxFrame)
            {
                throw new InvalidDataException($"a web terminal message is larger than {MaxFrame} bytes");
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        await _sending.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            // The close reason is limited to 123 bytes by the protocol; the full message went in the 'c' or 'e' envelope.
            var shortReason = Encoding.UTF8.GetByteCount(reason) > 120 ? reason[..Math.Min(reason.Length, 40)] : reason;
            await socket.CloseOutputAsync(status, shortReason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser is gone already.
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task Send(byte[] data, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(data, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }
}
