using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Gateway.WebApi;
using Teleport.Orleans.Gateway.WebSessions;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// <c>GET /v1/webapi/sites/{site}/connect/ws?params=...</c>: the web terminal's WebSocket. The browser sends its
/// session cookie with the upgrade and the bearer token as the first message within 4 s (a page of another site
/// can do the first, never the second); then <see cref="WebTerminalSession"/> runs the SSH session.
/// </summary>
internal static class WebTerminalEndpoint
{
    private static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(4);

    public static void Map(IEndpointRouteBuilder routes) =>
        // GET is HTTP/1.1's upgrade; browsers on HTTP/2 open WebSockets with an extended CONNECT (RFC 8441).
        routes.MapMethods("/v1/webapi/sites/{site}/connect/ws", [HttpMethods.Get, HttpMethods.Connect], (string site, HttpContext context, IGrainFactory grains, WebSessionService sessions, WebTerminalConnector connector) =>
            Run(site, context, grains, sessions, connector));

    private static async Task Run(string site, HttpContext context, IGrainFactory grains, WebSessionService sessions, WebTerminalConnector connector)
    {
        TerminalRequest request;
        try
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                throw new BadRequestException("this is a WebSocket endpoint (the web terminal)");
            }

            if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                && (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || !string.Equals(originUri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
            {
                await WebApiError.Of(StatusCodes.Status403Forbidden, $"the web terminal only accepts pages of this proxy, not {origin}").ExecuteAsync(context);
                return;
            }

            request = TerminalRequest.Parse(context.Request.Query["params"]);
        }
        catch (BadRequestException ex)
        {
            await WebApiError.Of(StatusCodes.Status400BadRequest, ex.Message).ExecuteAsync(context);
            return;
        }

        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var socket = new EnvelopeSocket(webSocket);
        var cancellationToken = context.RequestAborted;
        WebSession session;
        try
        {
            session = await Authenticate(context, socket, sessions, cancellationToken);
            var settings = await grains.GetGrain<IClusterGrain>(IClusterGrain.Key).GetSettings();
            if (!string.Equals(site, settings.ClusterName, StringComparison.OrdinalIgnoreCase))
            {
                throw new WebAuthException(StatusCodes.Status404NotFound, $"cluster \"{site}\" is not found");
            }
        }
        catch (WebAuthException ex)
        {
            await Refuse(socket, ex.Message, WebSocketCloseStatus.PolicyViolation);
            return;
        }

        WebTerminalSession terminal;
        try
        {
            terminal = await connector.Connect(session, request, ClientAddress.Of(context), cancellationToken);
        }
        catch (TerminalException ex)
        {
            await Refuse(socket, ex.Message, WebSocketCloseStatus.PolicyViolation);
            return;
        }

        await using (terminal)
        {
            await socket.SendText(new { type = "create_session_response", status = "ok" }, cancellationToken);
            var connection = context.Features.Get<IConnectionSocketFeature>()?.Socket;
            await terminal.Run(socket, () => TcpRoundTrip.Of(connection), cancellationToken);
        }
    }

    /// <summary>The session the cookie names, once the first message brings its bearer token.</summary>
    private static async Task<WebSession> Authenticate(HttpContext context, EnvelopeSocket socket, WebSessionService sessions, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TokenTimeout);
        string token;
        try
        {
            var first = await socket.Receive(timeout.Token);
            token = first is { Type: WebSocketMessageType.Text } message ? JsonSerializer.Deserialize<TokenMessage>(message.Data)?.Token ?? "" : "";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new WebAuthException(StatusCodes.Status401Unauthorized, $"no token message within {TokenTimeout.TotalSeconds:0} s: send {{\"token\":\"<bearer>\"}} first");
        }
        catch (JsonException)
        {
            token = "";
        }

        return await sessions.Require(WebSessionCookie.Read(context.Request), token);
    }

    private static async Task Refuse(EnvelopeSocket socket, string message, WebSocketCloseStatus status)
    {
        try
        {
            await socket.SendText(new { type = "create_session_response", status = "error", message }, CancellationToken.None);
            await socket.SendEnvelope(EnvelopeSocket.Error, message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The browser left before hearing why.
        }

        await socket.CloseAsync(status, message);
    }

    private sealed record TokenMessage([property: JsonPropertyName("token")] string? Token);
}

/// <summary>Why a web terminal could not start, in one sentence for the user.</summary>
internal sealed class TerminalException(string message, Exception? inner = null) : Exception(message, inner);
