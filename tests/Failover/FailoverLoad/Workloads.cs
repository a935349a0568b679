using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Failover;

/// <summary>
/// The load: web API logins and SSH sessions through the public load balancer, certificate issuance and resource
/// writes on the auth API through the private one. Each runs in its own loop; a write counts as acknowledged only
/// when its call returned OK, and every acknowledged write must be readable at the end.
/// </summary>
internal sealed class Workloads(HaCluster cluster, Recorder recorder, LoadUser user, string runId)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly IdentityFile _admin = IdentityFile.Load(cluster.AdminIdentity);
    private readonly List<string> _acknowledged = [];
    private int _okLogins;
    private int _writes;

    public IReadOnlyList<string> Acknowledged => _acknowledged;

    public int OkLogins => _okLogins;

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(
        Loop(stop, "login", Login),
        Loop(stop, "certs", IssueCertificate),
        Loop(stop, "write", WriteResource),
        Loop(stop, "ssh", SshSession));

    private async Task Loop(CancellationToken stop, string operation, Func<Task<string?>> request)
    {
        while (!stop.IsCancellationRequested)
        {
            await recorder.Measure(operation, request);
            try
            {
                await Task.Delay(Pause, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>A web login on a new TCP connection each time, so the load balancer picks a proxy for each.</summary>
    private async Task<string?> Login()
    {
        using var web = LoadUser.WebClient(cluster.WebAddr);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/webapi/ssh/certs")
        {
            Content = JsonContent.Create(new { user = user.Name, password = user.Password, pub_key = user.PublicKey, ttl = 3600 }),
        };
        request.Headers.ConnectionClose = true;
        using var response = await web.SendAsync(request);
        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _okLogins);
            return null;
        }

        var body = await response.Content.ReadAsStringAsync();
        return $"http {(int)response.StatusCode}: {Message(body)}";
    }

    /// <summary>Certificates from the auth API on a new connection each time, as tctl makes them.</summary>
    private async Task<string?> IssueCertificate()
    {
        var client = AuthClientFactory.Create(cluster.AuthAddr, _admin, out var channel);
        using (channel)
        {
            await client.GenerateUserCertsAsync(
                new GenerateUserCertsRequest { User = user.Name, SshPublicKey = user.PublicKey, TtlSeconds = 600 },
                deadline: DateTime.UtcNow + Deadline);
        }

        return null;
    }

    private async Task<string?> WriteResource()
    {
        var name = $"fo-{runId}-{Interlocked.Increment(ref _writes)}";
        var client = AuthClientFactory.Create(cluster.AuthAddr, _admin, out var channel);
        using (channel)
        {
            await client.CreateResourceAsync(
                new CreateResourceRequest { Yaml = $"kind: role\nversion: v7\nmetadata:\n  name: {name}\nspec:\n  allow:\n    logins: [failover]\n", Force = true },
                deadline: DateTime.UtcNow + Deadline);
        }

        lock (_acknowledged)
        {
            _acknowledged.Add(name);
        }

        return null;
    }

    /// <summary>An OpenSSH session to node1 through the public SSH port: it needs a live proxy and node1's tunnel.</summary>
    private async Task<string?> SshSession()
    {
        var start = new ProcessStartInfo("ssh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-F", user.SshConfig, "-J", $"root@{cluster.SshAddr}", "-p", "3022", "node1", "echo", "session-ok" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            return "timeout";
        }

        return process.ExitCode == 0 && (await output).Contains("session-ok", StringComparison.Ordinal)
            ? null
            : $"ssh exit {process.ExitCode}: {(await error).Trim().Split('\n')[^1]}";
    }

    /// <summary>Acknowledged writes that cannot be read back (must be none), retried until the auth API answers.</summary>
    public async Task<List<string>> LostWritesAsync()
    {
        var text = await Retry(async () =>
        {
            var client = AuthClientFactory.Create(cluster.AuthAddr, _admin, out var channel);
            using (channel)
            {
                return (await client.GetResourcesAsync(new GetResourcesRequest { Kind = "role", Format = "yaml" }, deadline: DateTime.UtcNow + Deadline)).Text;
            }
        });
        var present = text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("name: fo-", StringComparison.Ordinal)).Select(l => l[6..]).ToHashSet();
        lock (_acknowledged)
        {
            return [.. _acknowledged.Where(n => !present.Contains(n))];
        }
    }

    /// <summary>Successful logins of the load user since <paramref name="since"/> in the audit log.</summary>
    public async Task<int> AuditedLoginsAsync(DateTime since)
    {
        var events = await Retry(async () =>
        {
            var client = AuthClientFactory.Create(cluster.AuthAddr, _admin, out var channel);
            using (channel)
            {
                var request = new SearchEventsRequest
                {
                    From = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(since),
                    To = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(1)),
                    Limit = 100000,
                };
                request.EventTypes.Add("user.login");
                return (await client.SearchEventsAsync(request, deadline: DateTime.UtcNow + TimeSpan.FromSeconds(60))).Events.ToList();
            }
        });
        return events.Select(e => JsonNode.Parse(e)).Count(e => e?["user"]?.GetValue<string>() == user.Name && e?["success"]?.GetValue<bool>() == true);
    }

    private static async Task<T> Retry<T>(Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (RpcException) when (attempt < 60)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    private static string Message(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>() ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 80 ? body[..80] : body;
        }
    }
}
