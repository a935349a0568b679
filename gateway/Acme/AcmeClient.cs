using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Gateway.Acme;

/// <summary>
/// An RFC 8555 client for one account: directory, nonces (a badNonce is retried with the nonce the error carried),
/// account registration, orders, authorizations, challenges, finalization and the certificate download.
/// </summary>
internal sealed class AcmeClient : IDisposable
{
    private const int NonceRetries = 10;
    private static readonly MediaTypeHeaderValue JoseJson = new("application/jose+json");
    private readonly HttpClient _http;
    private readonly Uri _directoryUri;
    private readonly ECDsa _accountKey;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _pollTimeout;
    private AcmeDirectory? _directory;
    private string? _nonce;
    private string? _accountUrl;

    public AcmeClient(Uri directoryUri, ECDsa accountKey, HttpMessageHandler handler, TimeSpan? pollInterval = null, TimeSpan? pollTimeout = null)
    {
        _directoryUri = directoryUri;
        _accountKey = accountKey;
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("teleport-orleans-acme/1");
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(1);
        _pollTimeout = pollTimeout ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>The account URL once <see cref="RegisterAsync"/> ran.</summary>
    public string? AccountUrl => _accountUrl;

    /// <summary>
    /// The HTTP handler for the ACME server. <paramref name="caBundleFile"/> (PEM) replaces the system roots for
    /// the server's certificate, for a test or private ACME server; null trusts the system roots.
    /// </summary>
    public static HttpMessageHandler Handler(string? caBundleFile)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (caBundleFile is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caBundleFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
        }

        return handler;
    }

    /// <summary>newAccount (RFC 8555 section 7.3): creates the account, or finds the one this key already has.</summary>
    public async Task<string> RegisterAsync(string? email, CancellationToken cancellationToken)
    {
        var directory = await DirectoryAsync(cancellationToken);
        var payload = new JsonObject { ["termsOfServiceAgreed"] = true };
        if (!string.IsNullOrEmpty(email))
        {
            payload["contact"] = new JsonArray("mailto:" + email);
        }

        using var response = await PostAsync(directory.NewAccount, payload, cancellationToken, useJwk: true);
        _accountUrl = response.Headers.Location?.ToString()
            ?? throw new AcmeProblem("the ACME server did not return an account URL");
        return _accountUrl;
    }

    /// <summary>newOrder for DNS names (RFC 8555 section 7.4).</summary>
    public async Task<AcmeOrder> NewOrderAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var directory = await DirectoryAsync(cancellationToken);
        var identifiers = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = n })]);
        using var response = await PostAsync(directory.NewOrder, new JsonObject { ["identifiers"] = identifiers }, cancellationToken);
        var order = await ReadAsync<AcmeOrder>(response, cancellationToken);
        return order with { Url = response.Headers.Location?.ToString() ?? throw new AcmeProblem("the ACME server did not return an order URL") };
    }

    public async Task<AcmeAuthorization> GetAuthorizationAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(url, null, cancellationToken);
        return await ReadAsync<AcmeAuthorization>(response, cancellationToken);
    }

    /// <summary>Tells the server the challenge response is in place (RFC 8555 section 7.5.1: an empty JSON object).</summary>
    public async Task RespondAsync(AcmeChallenge challenge, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(challenge.Url, new JsonObject(), cancellationToken);
    }

    /// <summary>Polls an authorization until it is no longer pending (valid, invalid, expired...).</summary>
    public Task<AcmeAuthorization> WaitAuthorizationAsync(string url, CancellationToken cancellationToken) =>
        PollAsync<AcmeAuthorization>(url, a => a.Status is not "pending", cancellationToken);

    /// <summary>Sends the CSR (DER) to the order's finalize URL (RFC 8555 section 7.4).</summary>
    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csr, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(order.Finalize, new JsonObject { ["csr"] = AcmeJws.Base64Url(csr) }, cancellationToken);
        return await ReadAsync<AcmeOrder>(response, cancellationToken) with { Url = order.Url };
    }

    /// <summary>Polls an order until it is neither pending nor processing.</summary>
    public async Task<AcmeOrder> WaitOrderAsync(AcmeOrder order, CancellationToken cancellationToken) =>
        await PollAsync<AcmeOrder>(order.Url, o => o.Status is not ("pending" or "processing"), cancellationToken) with { Url = order.Url };

    /// <summary>The issued chain, leaf first, as PEM (RFC 8555 section 7.4.2).</summary>
    public async Task<string> DownloadAsync(string certificateUrl, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(certificateUrl, null, cancellationToken, accept: "application/pem-certificate-chain");
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> PollAsync<T>(string url, Func<T, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + _pollTimeout;
        while (true)
        {
            using var response = await PostAsync(url, null, cancellationToken);
            var value = await ReadAsync<T>(response, cancellationToken);
            if (done(value))
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new AcmeProblem($"the ACME server did not finish {url} within {_pollTimeout.TotalSeconds:0} s");
            }

            var wait = RetryAfter(response) ?? _pollInterval;
            await Task.Delay(wait < _pollInterval ? _pollInterval : wait > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : wait, cancellationToken);
        }
    }

    private async Task<AcmeDirectory> DirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is not null)
        {
            return _directory;
        }

        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _directoryUri), cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        _directory = await ReadAsync<AcmeDirectory>(response, cancellationToken);
        return _directory;
    }

    private async Task<string> NonceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _nonce, null) is { } nonce)
        {
            return nonce;
        }

        var directory = await DirectoryAsync(cancellationToken);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, directory.NewNonce), cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        return Interlocked.Exchange(ref _nonce, null) ?? throw new AcmeProblem("the ACME server sent no Replay-Nonce");
    }

    private async Task<HttpResponseMessage> PostAsync(string url, JsonNode? payload, CancellationToken cancellationToken, bool useJwk = false, string? accept = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await NonceAsync(cancellationToken);
            var kid = useJwk ? null : _accountUrl ?? throw new InvalidOperationException("register the ACME account first");
            var body = AcmeJws.Sign(_accountKey, url, nonce, kid, payload);
            var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = JoseJson;
                if (accept is not null)
                {
                    request.Headers.Accept.ParseAdd(accept);
                }

                return request;
            }, cancellationToken);
            try
            {
                await ThrowIfProblemAsync(response, cancellationToken);
                return response;
            }
            catch (AcmeProblem problem) when (problem.Type == AcmeProblem.BadNonce && attempt < NonceRetries)
            {
                // RFC 8555 section 6.5: retry with the fresh nonce the error response carried.
                response.Dispose();
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using var message = request();
            response = await _http.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new AcmeProblem($"cannot reach the ACME server {_directoryUri}: {ex.Message}", inner: ex);
        }

        if (response.Headers.TryGetValues("Replay-Nonce", out var nonces) && nonces.FirstOrDefault() is { Length: > 0 } nonce)
        {
            _nonce = nonce;
        }

        return response;
    }

    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        AcmeError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<AcmeError>(cancellationToken);
        }
        catch (JsonException)
        {
        }

        var status = (int)response.StatusCode;
        throw new AcmeProblem(
            $"the ACME server refused {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {error?.Detail ?? response.ReasonPhrase} (HTTP {status}{(error?.Type is { } t ? ", " + t : "")})",
            error?.Type, status, RetryAfter(response) ?? (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? TimeSpan.FromMinutes(1) : null));
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new AcmeProblem($"the ACME server sent an empty {typeof(T).Name}");
        }
        catch (JsonException ex)
        {
            throw new AcmeProblem($"the ACME server sent a {typeof(T).Name} that does not parse: {ex.Message}", inner: ex);
        }
    }
}
