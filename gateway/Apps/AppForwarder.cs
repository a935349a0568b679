using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Contracts.Resources;
using Yarp.ReverseProxy.Forwarder;

namespace Teleport.Orleans.Gateway.Apps;

/// <summary>
/// Forwards a request (HTTP/1.1, HTTP/2 from the client, WebSocket upgrades) to an app with YARP's
/// <see cref="IHttpForwarder"/>. Each app has its own pooled client whose connections come from <see cref="AppDialer"/>.
/// </summary>
internal sealed class AppForwarder(IHttpForwarder forwarder, AppDialer dialer)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        ActivityTimeout = TimeSpan.FromMinutes(2),
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    private readonly ConcurrentDictionary<string, (App App, HttpMessageInvoker Client)> _clients = new(StringComparer.Ordinal);

    /// <summary>The forwarding error, or <see cref="ForwarderError.None"/>; YARP has answered the client (502/504) when it failed before the response started.</summary>
    public async Task<ForwarderError> Forward(HttpContext context, App app, AppSession session, string publicUrl) =>
        await forwarder.SendAsync(context, app.Uri, Client(app), RequestConfig, new AppTransformer(app, session, publicUrl));

    private HttpMessageInvoker Client(App app)
    {
        if (_clients.TryGetValue(app.Name, out var entry) && SameTarget(entry.App, app))
        {
            return entry.Client;
        }

        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectCallback = async (_, token) => await dialer.Dial(app, token),
        };
        if (app.InsecureSkipVerify)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        }

        var client = new HttpMessageInvoker(handler, disposeHandler: true);
        _clients[app.Name] = (app, client);
        if (entry.Client is { } old)
        {
            // Requests in flight on the old client finish; it is released once they have.
            _ = Task.Delay(TimeSpan.FromMinutes(5)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
        }

        return client;
    }

    private static bool SameTarget(App a, App b) => a.Uri == b.Uri && a.InsecureSkipVerify == b.InsecureSkipVerify && a.HostId == b.HostId;
}
