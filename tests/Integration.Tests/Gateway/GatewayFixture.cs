using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using OtpNet;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Gateway;

/// <summary>One all-in-one server with the proxy service (second factor: otp), shared by the web API tests.</summary>
public sealed partial class GatewayFixture : IAsyncLifetime
{
    internal TeleportServer Server { get; private set; } = null!;

    internal HttpClient Web { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TeleportServer.StartWithProxyAsync(new ProxySettings());
        Web = WebClient.For(Server.Proxy!.WebPort, out _);
    }

    public async Task DisposeAsync()
    {
        Web.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Adds a user with tctl and returns the invite token from the link it prints.</summary>
    internal async Task<string> Invite(string user, string roles = "access", string logins = "root")
    {
        var added = (await Server.Tctl("users", "add", user, $"--roles={roles}", $"--logins={logins}")).EnsureSuccess();
        return InviteLink().Match(added.Stdout).Groups[1].Value;
    }

    /// <summary>Redeems an invite through the JSON API and returns the user's TOTP secret.</summary>
    internal async Task<string> Redeem(string token, string password)
    {
        var details = await Web.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var secret = SecretInUri().Match(details!["otp_uri"]!.GetValue<string>()).Groups[1].Value;
        var response = await Web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password, second_factor_token = Code(secret, DateTime.UtcNow) });
        response.EnsureSuccessStatusCode();
        return secret;
    }

    /// <summary>A TOTP code; the server accepts one step of drift and refuses a step it has already seen.</summary>
    internal static string Code(string secret, DateTime at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at);

    internal AuthService.AuthServiceClient AdminClient(out GrpcChannel channel) =>
        AuthClientFactory.Create($"127.0.0.1:{Server.AuthPort}", IdentityFile.Load(Path.Combine(Server.DataDir, "admin.identity")), out channel);

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex SecretInUri();
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
