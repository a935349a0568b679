using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Teleport.Orleans.Cli.Tsh.Profiles;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>
/// The proxy's HTTPS web API, at Teleport's paths. Calls after login present the user's X.509 certificate as the
/// TLS client certificate. <c>--insecure</c> skips verifying the proxy's certificate (self-signed test clusters).
/// </summary>
internal sealed class WebApiClient : IDisposable
{
    // The proxy's largest page of nodes: a cluster of 10,000 nodes lists in one round trip.
    private const int NodePageSize = 10_000;

    // Audit events come 1,000 at a time (the proxy's largest page of them).
    private const int EventPageSize = 1000;

    private readonly HttpClient _http;
    private readonly ProxyAddress _proxy;

    public WebApiClient(ProxyAddress proxy, bool insecure, X509Certificate2? clientCertificate = null)
    {
        _proxy = proxy;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(15),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = insecure ? (_, _, _, _) => true : null,
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri($"https://{proxy}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<PingResponse> PingAsync(CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync("webapi/ping", cancellationToken);
        return PingResponse.Parse(document.RootElement);
    }

    public async Task<SshLoginResponse> LoginAsync(string user, string password, string otp, string publicKey, long ttlSeconds, CancellationToken cancellationToken)
    {
        var body = new SshLoginRequest(user, password, otp, publicKey, ttlSeconds);
        using var response = await SendAsync(() => _http.PostAsJsonAsync("v1/webapi/ssh/certs", body, WebApiJsonContext.Default.SshLoginRequest, cancellationToken), cancellationToken);
        using var document = await ReadJsonAsync(response, cancellationToken);
        return SshLoginResponse.Parse(document.RootElement);
    }

    /// <summary>
    /// The nodes of the cluster, page by page (Teleport's unified resources listing with startKey). With
    /// <paramref name="labels"/> the proxy is asked for only the nodes that carry them all, so `tsh ls env=prod` does not
    /// download the whole cluster; the caller still checks each node, as a proxy may ignore the filter.
    /// </summary>
    public async Task<IReadOnlyList<NodeInfo>> ListNodesAsync(string cluster, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var nodes = new List<NodeInfo>();
        var filter = LabelFilter(labels);
        var startKey = "";
        do
        {
            var path = $"v1/webapi/sites/{Uri.EscapeDataString(cluster)}/resources?kinds=node&limit={NodePageSize}{filter}&startKey={Uri.EscapeDataString(startKey)}";
            var page = await GetAsync(path, (body, token) => JsonSerializer.DeserializeAsync(body, WebApiJsonContext.Default.NodeListPageJson, token), cancellationToken);
            nodes.AddRange((page?.Items ?? []).Select(NodeInfo.From));
            startKey = page?.StartKey ?? "";
        }
        while (startKey.Length > 0);
        return nodes;
    }

    /// <summary>
    /// <c>&amp;labels=k=v,k2=v2</c>, the proxy's exact-match filter; empty when there are no labels or one could not be
    /// written in that form (a comma or an equals sign in a key, a comma or blanks at either end of a value), in which
    /// case the caller's own check does all the filtering.
    /// </summary>
    private static string LabelFilter(IReadOnlyDictionary<string, string> labels)
    {
        static bool Plain(string text) => !text.Contains(',', StringComparison.Ordinal) && text.Trim().Length == text.Length;
        if (labels.Count == 0 || !labels.All(l => l.Key.Length > 0 && Plain(l.Key) && !l.Key.Contains('=', StringComparison.Ordinal) && Plain(l.Value)))
        {
            return "";
        }

        return "&labels=" + Uri.EscapeDataString(string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")));
    }

    /// <summary>The recorded sessions (session.end events) of the last <paramref name="days"/> days, newest first.</summary>
    public async Task<IReadOnlyList<SessionEnd>> ListRecordingsAsync(string cluster, int days, CancellationToken cancellationToken)
    {
        var to = DateTimeOffset.UtcNow.AddMinutes(1);
        var from = to.AddDays(-days);
        var sessions = new List<SessionEnd>();
        var startKey = "";
        do
        {
            var path = $"v1/webapi/sites/{Uri.EscapeDataString(cluster)}/events/search?from={Uri.EscapeDataString(from.ToString("O"))}"
                + $"&to={Uri.EscapeDataString(to.ToString("O"))}&limit={EventPageSize}&include=session.end&startKey={Uri.EscapeDataString(startKey)}";
            using var document = await GetJsonAsync(path, cancellationToken);
            sessions.AddRange(document.RootElement.Items("events").Select(SessionEnd.Parse).Where(s => s.SessionId.Length > 0 && s.Recorded));
            startKey = document.RootElement.Text("startKey") ?? "";
        }
        while (startKey.Length > 0);
        return [.. sessions.OrderByDescending(s => s.Start ?? s.End)];
    }

    /// <summary>The running sessions the user may see or join (Teleport's active sessions listing).</summary>
    public async Task<IReadOnlyList<ActiveSession>> ListActiveSessionsAsync(string cluster, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"v1/webapi/sites/{Uri.EscapeDataString(cluster)}/sessions", cancellationToken);
        return [.. document.RootElement.Items("sessions").Select(ActiveSession.Parse).Where(s => s.Id.Length > 0)];
    }

    /// <summary>The recording of a session (asciicast v2 lines), whole.</summary>
    public async Task<byte[]> DownloadRecordingAsync(string cluster, string sessionId, CancellationToken cancellationToken)
    {
        var path = $"v1/webapi/sites/{Uri.EscapeDataString(cluster)}/sessions/{Uri.EscapeDataString(sessionId)}/stream";
        using var response = await SendAsync(
            () => _http.GetAsync(path, cancellationToken),
            cancellationToken,
            notFound: $"There is no recording of session {sessionId}: only sessions with a terminal are recorded, and a recording can be played once its session has ended (see tsh recordings ls).");
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>The apps the user's roles reach.</summary>
    public async Task<IReadOnlyList<AppInfo>> ListAppsAsync(string cluster, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync($"v1/webapi/sites/{Uri.EscapeDataString(cluster)}/apps", cancellationToken);
        return [.. document.RootElement.Items("items").Select(AppInfo.Parse)];
    }

    /// <summary>Starts an app session and gets a certificate routed to it for <paramref name="publicKey"/> (DER SubjectPublicKeyInfo).</summary>
    public async Task<AppLoginResponse> AppLoginAsync(string cluster, string app, byte[] publicKey, CancellationToken cancellationToken)
    {
        var body = new AppSessionRequest(app, cluster, Convert.ToBase64String(publicKey));
        using var response = await SendAsync(() => _http.PostAsJsonAsync("v1/webapi/sessions/app", body, WebApiJsonContext.Default.AppSessionRequest, cancellationToken), cancellationToken);
        using var document = await ReadJsonAsync(response, cancellationToken);
        var root = document.RootElement;
        return new AppLoginResponse(root.Text("cookie_value") ?? "", root.Text("fqdn") ?? "", root.Text("url") ?? "", root.Text("tls_cert") ?? "", root.Text("tls_ca") ?? "");
    }

    /// <summary>Ends an app session; one that has already ended is not an error.</summary>
    public async Task AppLogoutAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"v1/webapi/sessions/app/{Uri.EscapeDataString(sessionId)}", cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        GetAsync(path, (body, token) => new ValueTask<JsonDocument>(JsonDocument.ParseAsync(body, cancellationToken: token)), cancellationToken);

    /// <summary>A GET whose answer <paramref name="read"/> parses from the body as it arrives.</summary>
    private async Task<T> GetAsync<T>(string path, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        // The body is parsed as it arrives instead of buffered whole first: a listing of 10,000 nodes is 3 MB, and the
        // buffer's growth (fresh memory each doubling) was 15 % of a native tsh ls. The client's timeout covers the
        // headers; the body is bounded by the same timeout below.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_http.Timeout);
        using var response = await SendAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token), cancellationToken);
        try
        {
            return await read(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);
        }
        catch (JsonException ex)
        {
            throw new TshException($"The proxy's answer is not the JSON tsh expects: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TshException($"The proxy at {_proxy} did not answer in time.", ex);
        }
        catch (IOException ex)
        {
            throw new TshException($"The connection to the proxy at {_proxy} broke off mid-answer: {ex.Message}", ex);
        }
    }

    /// <param name="notFound">What a 404 means to the user, when the caller knows better than the proxy's words.</param>
    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken, string? notFound = null)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException ex)
        {
            var hint = ex.InnerException is AuthenticationException ? " (a self-signed proxy certificate needs --insecure)" : "";
            throw new TshException($"Cannot reach the proxy at {_proxy}: {ex.Message}{hint}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TshException($"The proxy at {_proxy} did not answer in time.", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (notFound is not null && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw new TshException(notFound);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new TshException(ErrorMessage(text) ?? $"The proxy answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new TshException($"The proxy's answer is not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The message of an error body: Teleport's <c>{"error":{"message"}}</c>, or <c>{"message"}</c>.</summary>
    internal static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.Field("error")?.Text("message") ?? root.Text("error") ?? root.Text("message");
        }
        catch (JsonException)
        {
            return body.Length is > 0 and < 300 ? body.Trim() : null;
        }
    }
}
