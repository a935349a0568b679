using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Teleport.Orleans.Contracts.WebTerminal;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>The web UI's side of the web terminal WebSocket: token handshake, then protobuf envelopes.</summary>
internal sealed class TerminalSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _output = new();

    /// <summary>Session metadata from the <c>s</c> envelope, once it came.</summary>
    public JsonNode? Session { get; private set; }

    /// <summary>The last <c>l</c> envelope (<c>{"ws": ms, "ssh": ms}</c>), once one came.</summary>
    public JsonNode? Latency { get; private set; }

    /// <summary>The <c>c</c> envelope's reason, once the session ended.</summary>
    public string? Ended { get; private set; }

    public string Output => _output.ToString();

    public static async Task<TerminalSocket> Connect(Browser browser, object parameters, string? origin = null)
    {
        var terminal = new TerminalSocket();
        terminal._socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        if (browser.Cookie is not null)
        {
            terminal._socket.Options.SetRequestHeader("Cookie", browser.Cookie);
        }

        if (origin is not null)
        {
            terminal._socket.Options.SetRequestHeader("Origin", origin);
        }

        var query = Uri.EscapeDataString(JsonSerializer.Serialize(parameters));
        await terminal._socket.ConnectAsync(new Uri($"wss://127.0.0.1:{browser.WebPort}/v1/webapi/sites/{WebUiCluster.Site}/connect/ws?params={query}"), CancellationToken.None);
        return terminal;
    }

    public Task SendToken(string? token) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { token }), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The <c>create_session_response</c>.</summary>
    public async Task<JsonNode> ReadResponse()
    {
        var (type, data) = await Receive() ?? throw new InvalidOperationException("the server closed before create_session_response");
        Assert.Equal(WebSocketMessageType.Text, type);
        return JsonNode.Parse(data)!;
    }

    public Task Type(string text) => Send("r", text);

    public Task Resize(int width, int height) => Send("w", JsonSerializer.Serialize(new { size = $"{width}:{height}" }));

    /// <summary>Reads envelopes until <paramref name="done"/> holds or the server closes; fails after the timeout.</summary>
    public async Task ReadUntil(Func<TerminalSocket, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!done(this))
        {
            var message = await Receive(deadline.Token);
            if (message is null)
            {
                Assert.True(done(this), $"the terminal closed first; output so far:\n{Output}\nend: {Ended}");
                return;
            }

            var envelope = Envelope.Parser.ParseFrom(message.Value.Data);
            Assert.Equal("1", envelope.Version);
            switch (envelope.Type)
            {
                case "r": _output.Append(envelope.Payload); break;
                case "s": Session = JsonNode.Parse(envelope.Payload); break;
                case "l": Latency = JsonNode.Parse(envelope.Payload); break;
                case "c" or "e": Ended = envelope.Payload; break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Already closing.
            }
        }

        _socket.Dispose();
    }

    private Task Send(string type, string payload) =>
        _socket.SendAsync(new Envelope { Version = "1", Type = type, Payload = payload }.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

    private async Task<(WebSocketMessageType Type, byte[] Data)?> Receive(CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
