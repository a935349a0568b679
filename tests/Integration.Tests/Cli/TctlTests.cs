using System.Diagnostics;
using System.Text.Json;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Cli;

[Collection(ServerCollection.Name)]
public sealed class TctlTests(ServerFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("tctl-test-").FullName;

    private TeleportServer Server => fixture.Server;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Status_on_the_auth_host_shows_the_cluster_and_ca_pin()
    {
        var result = (await Server.Tctl("status")).EnsureSuccess();

        Assert.Contains("itest.example.com", result.Stdout);
        Assert.Matches("sha256:[0-9a-f]{64}", result.Stdout);
    }

    [Fact]
    public async Task Status_for_the_admin_shows_each_auth_server_with_its_membership_status()
    {
        var result = (await Server.Tctl("status")).EnsureSuccess();

        Assert.Contains("Auth servers", result.Stdout);
        Assert.Matches($@"127\.0\.0\.1:{Server.SiloPort}\s+Active, gateway port {Server.GatewayPort}, 0 proxies", result.Stdout);
        Assert.Contains("Proxies", result.Stdout);
    }

    [Fact]
    public async Task The_auth_pool_view_is_refused_to_a_user_even_an_editor()
    {
        using var editor = await ApiClient.User(Server, "editor");

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await editor.Client.GetClusterPoolAsync(new Contracts.Api.GetClusterPoolRequest()));

        Assert.Equal(Grpc.Core.StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Users_add_creates_the_user_and_prints_an_invite_link()
    {
        var name = Unique("alice");

        var added = (await Server.Tctl("users", "add", name, "--roles=access", "--logins=root,alice")).EnsureSuccess();
        var listed = (await Server.Tctl("get", $"user/{name}")).EnsureSuccess();

        Assert.Matches("https://[^ ]+/web/invite/[0-9a-f]{32}", added.Stdout);
        Assert.Contains($"name: {name}", listed.Stdout);
        Assert.Contains("access", listed.Stdout);
    }

    [Fact]
    public async Task Listings_print_json_and_yaml_on_request()
    {
        var name = Unique("listed");
        (await Server.Tctl("users", "add", name, "--roles=access", "--logins=root")).EnsureSuccess();

        var json = (await Server.Tctl("users", "ls", "--format", "json")).EnsureSuccess().Stdout;
        var yaml = (await Server.Tctl("events", "ls", "--type", "user.create", "--format", "yaml")).EnsureSuccess().Stdout;

        Assert.Contains(JsonDocument.Parse(json).RootElement.EnumerateArray(), u => u.GetProperty("metadata").GetProperty("name").GetString() == name);
        Assert.Contains("event: user.create", yaml);
        Assert.Contains($"name: {name}", yaml);
    }

    [Fact]
    public async Task Users_rm_removes_the_user_from_the_listing()
    {
        var name = Unique("gone");
        (await Server.Tctl("users", "add", name, "--roles=access", "--logins=root")).EnsureSuccess();

        (await Server.Tctl("users", "rm", name)).EnsureSuccess();
        var listed = (await Server.Tctl("users", "ls")).EnsureSuccess();

        Assert.DoesNotContain(name, listed.Stdout);
    }

    [Fact]
    public async Task Role_created_from_yaml_reads_back_the_same()
    {
        var name = Unique("dev");
        var file = Write("role.yaml", $"""
            kind: role
            version: v7
            metadata:
              name: {name}
            spec:
              options:
                max_session_ttl: 4h
              allow:
                logins: [dev]
                node_labels:
                  env: [staging, '^test-[0-9]+$']
              deny:
                node_labels:
                  env: prod
            """);

        (await Server.Tctl("create", file)).EnsureSuccess();
        var yaml = (await Server.Tctl("get", $"role/{name}")).EnsureSuccess().Stdout;

        Assert.Contains("max_session_ttl: 4h", yaml);
        Assert.Contains("^test-[0-9]+$", yaml);
        Assert.Contains("prod", yaml);
    }

    [Fact]
    public async Task Malformed_role_is_refused_with_its_line_and_creates_nothing()
    {
        var name = Unique("broken");
        var file = Write("broken.yaml", $"""
            kind: role
            version: v7
            metadata:
              name: {name}
            spec:
              allow:
                lgins: [dev]
            """);

        var result = await Server.Tctl("create", file);
        var get = await Server.Tctl("get", $"role/{name}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("lgins", result.Stderr);
        Assert.Contains("line 7", result.Stderr);
        Assert.NotEqual(0, get.ExitCode);
    }

    [Fact]
    public async Task Invalid_regex_in_a_role_is_refused()
    {
        var file = Write("regex.yaml", $"""
            kind: role
            version: v7
            metadata:
              name: {Unique("regex")}
            spec:
              allow:
                logins: [dev]
                node_labels:
                  env: '^(prod$'
            """);

        var result = await Server.Tctl("create", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("regex", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Auth_sign_writes_an_openssh_key_and_certificate_that_ssh_keygen_reads()
    {
        var name = Unique("signed");
        (await Server.Tctl("users", "add", name, "--roles=access", "--logins=deploy")).EnsureSuccess();
        var output = Path.Combine(_work, "id");

        (await Server.Tctl("auth", "sign", $"--user={name}", "--ttl=2h", "--format=openssh", $"--out={output}")).EnsureSuccess();
        var described = await Run("ssh-keygen", "-L", "-f", output + "-cert.pub");
        var fingerprint = (await Run("ssh-keygen", "-l", "-f", output)).Split(' ')[1];

        Assert.Contains($"Key ID: \"{name}\"", described);
        Assert.Contains("deploy", described);
        Assert.Contains($"Public key: ECDSA-CERT {fingerprint}", described);
    }

    [Fact]
    public async Task Identity_of_an_auditor_can_read_events_but_not_add_users()
    {
        var name = Unique("auditor");
        (await Server.Tctl("users", "add", name, "--roles=auditor", "--logins=nobody")).EnsureSuccess();
        var identity = Path.Combine(_work, "auditor.identity");
        (await Server.Tctl("auth", "sign", $"--user={name}", "--ttl=1h", "--format=file", $"--out={identity}")).EnsureSuccess();
        string[] asAuditor = ["--auth-server", $"127.0.0.1:{Server.AuthPort}", "-i", identity];

        var events = await Dotnet.Run(Repository.TctlDll, [.. asAuditor, "events", "ls", "--format", "json"]);
        var add = await Dotnet.Run(Repository.TctlDll, [.. asAuditor, "users", "add", Unique("sneaky"), "--roles=editor"]);

        events.EnsureSuccess();
        Assert.NotEqual(0, add.ExitCode);
        Assert.Contains("access denied", add.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Tokens_add_ls_rm_round_trip()
    {
        var added = (await Server.Tctl("tokens", "add", "--type=node", "--ttl=1h")).EnsureSuccess();
        var token = System.Text.RegularExpressions.Regex.Match(added.Stdout, "[0-9a-f]{32}").Value;

        Assert.Contains(token, (await Server.Tctl("tokens", "ls")).EnsureSuccess().Stdout);
        (await Server.Tctl("tokens", "rm", token)).EnsureSuccess();
        Assert.DoesNotContain(token, (await Server.Tctl("tokens", "ls")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Events_list_user_creation_with_teleport_codes()
    {
        var name = Unique("evented");
        (await Server.Tctl("users", "add", name, "--roles=access", "--logins=root")).EnsureSuccess();

        var json = (await Server.Tctl("events", "ls", "--type", "user.create", "--format", "json")).EnsureSuccess().Stdout;
        var events = JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();

        Assert.Contains(events, e => e.GetProperty("name").GetString() == name && e.GetProperty("code").GetString() == "T1002I");
        Assert.All(events, e => Assert.Equal("user.create", e.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task Auth_export_prints_openssh_trust_lines()
    {
        var user = (await Server.Tctl("auth", "export", "--type=user")).EnsureSuccess().Stdout;
        var host = (await Server.Tctl("auth", "export", "--type=host")).EnsureSuccess().Stdout;
        var tls = (await Server.Tctl("auth", "export", "--type=tls")).EnsureSuccess().Stdout;

        Assert.StartsWith("cert-authority ssh-ed25519 ", user);
        Assert.StartsWith("@cert-authority itest.example.com,*.itest.example.com ssh-ed25519 ", host);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", tls);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private string Write(string name, string text)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }
}
