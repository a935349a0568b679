using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpNet;
using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// One all-in-one <c>teleport start</c> (auth, proxy with second factor otp, and a node named itest) and a user who
/// redeemed an invite through the web API and logged in with <c>tsh login</c>, password and TOTP piped on stdin.
/// </summary>
public sealed partial class TshCluster : IAsyncLifetime
{
    private readonly ProxySettings _proxy;

    public TshCluster()
        : this(new ProxySettings { NodePort = FreePorts.Take(1)[0] })
    {
    }

    /// <summary>A cluster whose proxy_service (and auth_service.proxy_listener_mode) <paramref name="proxy"/> describes.</summary>
    internal TshCluster(ProxySettings proxy)
    {
        _proxy = proxy;
    }

    public const string Password = "tsh-e2e-password";
    public const string NodeName = "itest";

    internal TeleportServer Server { get; private set; } = null!;

    internal DirectoryInfo Home { get; } = Directory.CreateTempSubdirectory("tsh-e2e-");

    internal string ProxyAddress => $"127.0.0.1:{Server.Proxy!.WebPort}";

    internal string TotpSecret { get; private set; } = "";

    internal CommandResult LoginResult { get; private set; } = null!;

    /// <summary>The OS login the node grants (the user running the tests: the node runs as that user).</summary>
    internal static string Login => Environment.UserName;

    internal static string TshDll => Path.Combine(Repository.Root, "cli", "tsh", "bin", Repository.Configuration, "net10.0", "tsh.dll");

    public async Task InitializeAsync()
    {
        Server = await TeleportServer.StartWithProxyAsync(_proxy);
        (TotpSecret, LoginResult) = await AddUserAndLoginAsync("alice", "access", Home);
    }

    /// <summary>
    /// Adds <paramref name="user"/> with <paramref name="roles"/>, redeems the invite (password and TOTP) through the
    /// web API and logs in with tsh into <paramref name="home"/>; returns the TOTP secret and tsh login's result.
    /// </summary>
    internal Task<(string TotpSecret, CommandResult Login)> AddUserAndLoginAsync(string user, string roles, DirectoryInfo home) =>
        AddUserAndLoginAsync(Server, Server.Proxy!.WebPort, user, roles, home);

    /// <summary>
    /// <see cref="AddUserAndLoginAsync(string, string, DirectoryInfo)"/> for any cluster: tctl on <paramref name="server"/>,
    /// the invite and tsh login through the proxy at web port <paramref name="webPort"/>.
    /// </summary>
    internal static async Task<(string TotpSecret, CommandResult Login)> AddUserAndLoginAsync(TeleportServer server, int webPort, string user, string roles, DirectoryInfo home)
    {
        var added = (await server.Tctl("users", "add", user, $"--roles={roles}", $"--logins={Login}")).EnsureSuccess();
        var token = InviteLink().Match(added.Stdout).Groups[1].Value;
        using var web = WebClient.For(webPort, out _);
        var details = await web.GetFromJsonAsync<JsonObject>($"/v1/webapi/users/password/token/{token}");
        var secret = SecretInUri().Match(details!["otp_uri"]!.GetValue<string>()).Groups[1].Value;
        var redeemed = await web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token, password = Password, second_factor_token = Code(secret, DateTime.UtcNow) });
        redeemed.EnsureSuccessStatusCode();

        // The redeeming code's time step is spent: login uses the next one, within the server's one-step drift.
        var login = await TshIn(home, $"{Password}\n{Code(secret, DateTime.UtcNow.AddSeconds(30))}\n", "login", $"--proxy=127.0.0.1:{webPort}", $"--user={user}", "--insecure");
        return (secret, login);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Home.Delete(recursive: true);
    }

    internal string Code(DateTime at) => Code(TotpSecret, at);

    internal Task<CommandResult> TshWithInput(string stdin, params string[] args) => TshIn(Home, stdin, args);

    /// <summary>Runs tsh with its profiles in <paramref name="home"/> (one home per logged-in user).</summary>
    internal static Task<CommandResult> TshIn(DirectoryInfo home, string stdin, params string[] args) =>
        Dotnet.Run(TshDll, args, stdin, environment: new Dictionary<string, string> { ["TSH_HOME"] = home.FullName });

    private static string Code(string secret, DateTime at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at);

    internal Task<CommandResult> Tsh(params string[] args) => TshWithInput("", args);

    /// <summary>Runs a program (script, ssh) with TSH_HOME set, as a person's shell would.</summary>
    /// <summary>
    /// tsh scp of <paramref name="size"/> random bytes to the node and back (the node runs on this host, so the
    /// remote file is read directly): the content, what arrived remotely, what came back, and both tsh results.
    /// </summary>
    internal async Task<(byte[] Content, byte[] Remote, byte[] Back, CommandResult Up, CommandResult Down)> ScpRoundTrip(string node, int size)
    {
        var files = Directory.CreateTempSubdirectory("tsh-scp-");
        try
        {
            var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(size);
            var local = Path.Combine(files.FullName, "up.bin");
            var remote = Path.Combine(files.FullName, "remote.bin");
            var back = Path.Combine(files.FullName, "back.bin");
            await File.WriteAllBytesAsync(local, content);

            var up = await Tsh("scp", local, $"{node}:{remote}");
            var down = await Tsh("scp", $"{node}:{remote}", back);
            return (content, File.Exists(remote) ? await File.ReadAllBytesAsync(remote) : [], File.Exists(back) ? await File.ReadAllBytesAsync(back) : [], up, down);
        }
        finally
        {
            files.Delete(recursive: true);
        }
    }

    /// <summary>Plain OpenSSH to the node with the config block <c>tsh config</c> prints (its ProxyCommand is tsh proxy ssh).</summary>
    internal async Task<CommandResult> OpenSshThroughTshConfig(params string[] command)
    {
        var status = await Tsh("status");
        var clusterName = status.Stdout.Split('\n').First(l => l.Contains("Cluster:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        var config = (await Tsh("config")).EnsureSuccess();
        var configFile = Path.Combine(Home.FullName, "ssh_config");
        await File.WriteAllTextAsync(configFile, config.Stdout);
        return await Run("ssh", ["-F", configFile, "-o", "BatchMode=yes", $"{Login}@{NodeName}.{clusterName}", .. command]);
    }

    internal async Task<CommandResult> Run(string executable, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TSH_HOME"] = Home.FullName;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs tsh ssh until the proxy routes to the node (it registers with its first heartbeat).</summary>
    internal async Task<CommandResult> SshWhenNodeIsRouted(params string[] args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var result = await Tsh(["ssh", .. args]);
            if (result.ExitCode != 255 || DateTime.UtcNow > deadline || !result.Stderr.Contains("not registered", StringComparison.Ordinal))
            {
                return result;
            }
        }
    }

    [GeneratedRegex("/web/invite/([0-9a-f]{32})")]
    private static partial Regex InviteLink();

    [GeneratedRegex("secret=([A-Z2-7]+)")]
    private static partial Regex SecretInUri();
}
