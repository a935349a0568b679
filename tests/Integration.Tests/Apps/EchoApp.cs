using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Integration.Tests.Apps;

/// <summary>
/// The app behind the proxy: a tiny HTTP server on loopback that answers with what it received (headers, path) and
/// echoes WebSocket messages at <c>/ws</c>, counting the requests that reached it.
/// </summary>
internal sealed class EchoApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private EchoApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}";

    /// <summary>Requests that reached the app so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<EchoApp> StartAsync()
    {
        var port = FreePorts.Take(1)[0];
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var echo = new EchoApp(app, port);
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref echo._requests);
            await next(context);
        });
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        });
        app.MapGet("/redirect", () => Results.Redirect($"http://127.0.0.1:{port}/landed"));
        app.MapFallback((HttpContext context) => Results.Json(new
        {
            path = context.Request.Path.Value,
            query = context.Request.QueryString.Value,
            host = context.Request.Host.Value,
            headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        }));
        await app.StartAsync();
        return echo;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
