using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>
/// What the web UI does over HTTP: keeps the <c>__Host-session</c> cookie the proxy set and sends the bearer token it
/// got at sign-in; tests change either to act as an attacker would.
/// </summary>
internal sealed class Browser : IDisposable
{
    private readonly HttpClient _http;

    public Browser(int webPort) => _http = new HttpClient(new SocketsHttpHandler
    {
        // The test holds the cookie itself, so it can drop or forge it.
        UseCookies = false,
        SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    { BaseAddress = new Uri($"https://127.0.0.1:{webPort}") };

    public int WebPort => _http.BaseAddress!.Port;

    /// <summary>The cookie value, as sent in the Cookie header (null: none).</summary>
    public string? Cookie { get; set; }

    public string? Bearer { get; set; }

    public JsonObject? SignInResponse { get; private set; }

    public async Task<HttpResponseMessage> SignIn(string user, string password, string? code = null)
    {
        var response = await Send(HttpMethod.Post, "/v1/webapi/sessions/web", new { user, pass = password, second_factor_token = code ?? "" });
        if (response.IsSuccessStatusCode)
        {
            Remember(response);
        }

        return response;
    }

    /// <summary>Reads the new cookie and token from a sign-in or renewal.</summary>
    public void Remember(HttpResponseMessage response)
    {
        SignInResponse = response.Content.ReadFromJsonAsync<JsonObject>().GetAwaiter().GetResult();
        Bearer = SignInResponse!["token"]!.GetValue<string>();
        Cookie = SetCookie(response) ?? Cookie;
    }

    public static string? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).FirstOrDefault(v => v.StartsWith("__Host-session=", StringComparison.Ordinal))
            : null;

    public Task<HttpResponseMessage> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<HttpResponseMessage> Delete(string path) => Send(HttpMethod.Delete, path, null);

    public Task<HttpResponseMessage> Post(string path, object body) => Send(HttpMethod.Post, path, body);

    public Task<HttpResponseMessage> Put(string path, object body) => Send(HttpMethod.Put, path, body);

    public async Task<JsonNode> GetJson(string path)
    {
        var response = await Get(path);
        await Ok(response);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", Cookie);
        }

        if (Bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>Fails with the server's message, not just a status code.</summary>
    public static async Task Ok(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri?.PathAndQuery}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The <c>error.message</c> of an error answer.</summary>
    public static async Task<string> Error(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>();

    public void Dispose() => _http.Dispose();
}
