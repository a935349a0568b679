using System.Net;
using System.Text;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

/// <summary>
/// A loopback proxy in front of s3rver that gives its PutObject what s3rver 3.7.1 lacks: s3rver ignores
/// <c>If-None-Match</c> on uploads (it overwrites). <see cref="Mode.Enforce"/> answers such an upload of a key already
/// uploaded (or being uploaded) with S3's 412 PreconditionFailed, and can hold the first upload until a second one of
/// the same key arrives, so that both have passed any check made before uploading. <see cref="Mode.NotImplemented"/>
/// answers every conditional upload with 501 NotImplemented, as some S3-compatible stores do. Everything else is
/// forwarded with its headers as sent, so s3rver's signature check still holds.
/// </summary>
internal sealed class ConditionalPutGate : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly string _target;
    private readonly Mode _mode;
    private readonly HashSet<string> _claimed = [];
    private readonly TaskCompletionSource _secondArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private int _refused;
    private int _conditionalPuts;

    public ConditionalPutGate(S3rverServer server, Mode mode, bool holdFirstUpload = false)
    {
        _target = server.Endpoint;
        _mode = mode;
        HoldFirstUpload = holdFirstUpload;
        Endpoint = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public enum Mode
    {
        Enforce,
        NotImplemented,
    }

    public string Endpoint { get; }

    public bool HoldFirstUpload { get; }

    /// <summary>Conditional uploads answered with 412 (Enforce) or 501 (NotImplemented).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Uploads that carried <c>If-None-Match: *</c>.</summary>
    public int ConditionalPuts => Volatile.Read(ref _conditionalPuts);

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
        }

        _upstream.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        var conditional = request.HttpMethod == "PUT" && request.Headers["If-None-Match"] == "*";
        var claimedHere = false;
        if (conditional)
        {
            Interlocked.Increment(ref _conditionalPuts);
            if (_mode == Mode.NotImplemented)
            {
                await RefuseAsync(context.Response, 501, "NotImplemented");
                return;
            }

            lock (_claimed)
            {
                claimedHere = _claimed.Add(path);
            }

            if (!claimedHere)
            {
                _secondArrived.TrySetResult();
                await RefuseAsync(context.Response, 412, "PreconditionFailed");
                return;
            }

            if (HoldFirstUpload)
            {
                await _secondArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        var status = await ForwardAsync(context);
        if (claimedHere && status is < 200 or >= 300)
        {
            lock (_claimed)
            {
                _claimed.Remove(path);
            }
        }
    }

    private async Task<int> ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), _target + request.RawUrl);
        if (request.HttpMethod is "PUT" or "POST")
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            if (name is "Host" or "Connection" or "Keep-Alive" or "Expect" or "Transfer-Encoding" or "Content-Length")
            {
                continue;
            }

            var value = request.Headers[name]!;
            if (!forward.Headers.TryAddWithoutValidation(name, value))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        forward.Headers.Host = request.Headers["Host"];
        using var answer = await _upstream.SendAsync(forward);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name is not ("Transfer-Encoding" or "Content-Length" or "Connection" or "Keep-Alive"))
            {
                response.Headers[name] = string.Join(",", values);
            }
        }

        var bytes = await answer.Content.ReadAsByteArrayAsync();
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
        return (int)answer.StatusCode;
    }

    private async Task RefuseAsync(HttpListenerResponse response, int status, string code)
    {
        Interlocked.Increment(ref _refused);
        var xml = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>refused by the test gate</Message><RequestId>gate</RequestId></Error>");
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength64 = xml.Length;
        await response.OutputStream.WriteAsync(xml);
        response.Close();
    }
}
