using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>
/// Web logins and invite redemptions are rate-limited per client address and per user (Teleport's 20 a minute,
/// bursts of 40): the attempt over the limit gets a JSON 429 with Retry-After, and other addresses are unaffected.
/// Each test comes from its own loopback addresses so as not to spend the shared server's budget for 127.0.0.1.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class LoginRateLimitTests(GatewayFixture fixture)
{
    private const int Burst = 40;

    [Fact]
    public async Task Logins_from_one_address_beyond_the_burst_get_429_with_retry_after_and_other_addresses_do_not()
    {
        using var flooder = From("127.0.0.2");
        for (var i = 0; i < Burst; i++)
        {
            var allowed = await flooder.PostAsJsonAsync("/v1/webapi/ssh/certs", new { });
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        var refused = await flooder.PostAsJsonAsync("/v1/webapi/ssh/certs", new { });

        await AssertTooManyAsync(refused, "too many login attempts from your address");
        var other = await fixture.Web.PostAsJsonAsync("/v1/webapi/ssh/certs", new { });
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task Logins_for_one_user_from_many_addresses_beyond_the_burst_get_429()
    {
        // Without pub_key each attempt is refused with 400 right after the rate check, before any password check.
        var attempt = new { user = "rate-limited-user", password = "guess" };
        for (var i = 0; i < Burst; i++)
        {
            using var client = From($"127.0.1.{1 + (i / 10)}");
            var allowed = await client.PostAsJsonAsync("/v1/webapi/ssh/certs", attempt);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var fresh = From("127.0.1.100");
        var refused = await fresh.PostAsJsonAsync("/v1/webapi/ssh/certs", attempt);

        await AssertTooManyAsync(refused, "too many login attempts for user rate-limited-user");
        var otherUser = await fresh.PostAsJsonAsync("/v1/webapi/ssh/certs", new { user = "someone-else", password = "guess" });
        Assert.Equal(HttpStatusCode.BadRequest, otherUser.StatusCode);
    }

    [Fact]
    public async Task Invite_redemptions_from_one_address_beyond_the_burst_get_429()
    {
        using var flooder = From("127.0.0.3");
        for (var i = 0; i < Burst; i++)
        {
            var allowed = await flooder.PutAsJsonAsync("/v1/webapi/users/password/token", new { });
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        var refused = await flooder.PutAsJsonAsync("/v1/webapi/users/password/token", new { });

        await AssertTooManyAsync(refused, "too many login attempts from your address");
    }

    private static async Task AssertTooManyAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains(message, error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A web client whose connections come from <paramref name="source"/> (any 127/8 address reaches loopback).</summary>
    private HttpClient From(string source)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{fixture.Server.Proxy!.WebPort}") };
    }
}
