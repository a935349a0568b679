using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Agent.Tests.Support;
using Teleport.Orleans.Contracts.Api;
using Lock = Teleport.Orleans.Contracts.Api.Lock;

namespace Teleport.Orleans.Agent.Tests.Access;

/// <summary>
/// Sessions on the node end when access ends while they run: a lock that comes in with the access policy, the
/// certificate's expiry when a role sets disconnect_expired_cert, and client_idle_timeout. The OpenSSH client is told
/// why in Teleport's words, and the disconnect is reported once.
/// </summary>
public sealed class AccessMonitorTests : IAsyncDisposable
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("agent-monitor-").FullName;
    private readonly AccessPolicyCache _policy;
    private readonly AccessMonitor _monitor;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _monitoring;

    public AccessMonitorTests()
    {
        _policy = new AccessPolicyCache(_dataDir, NullLogger<AccessPolicyCache>.Instance);
        var node = new NodeAccessContext("3f0c6a52-node", "node-1", () => new Dictionary<string, string>());
        _monitor = new AccessMonitor(_policy, node, NullLogger<AccessMonitor>.Instance)
        {
            Disconnected = (login, reason) => Disconnects.Enqueue((login.User, reason)),
        };
        _monitoring = _monitor.RunAsync(_stop.Token);
    }

    private ConcurrentQueue<(string User, string Reason)> Disconnects { get; } = new();

    [Fact]
    public async Task A_lock_on_the_user_ends_a_running_command_promptly_and_the_client_is_told_why()
    {
        await using var node = new NodeServer(monitor: _monitor);
        var run = node.SshAsync("sleep 30");
        await Eventually.TrueAsync(() => !node.Observer.Started.IsEmpty);

        var locked = Stopwatch.StartNew();
        Lock(new Lock { Name = "l1", User = "alice", Message = "compromised laptop" });
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(locked.Elapsed < Promptly, $"the session ran on for {locked.Elapsed} after the lock");
        Assert.Equal(255, result.ExitCode);
        Assert.Contains("lock targeting User:\"alice\" is in force: compromised laptop", result.Error);
        Assert.Equal([("alice", "lock targeting User:\"alice\" is in force: compromised laptop")], Disconnects);
        // The client leaves at the DISCONNECT; the node reports the session's end as its program exits.
        await Eventually.TrueAsync(() => !node.Observer.Ended.IsEmpty);
        Assert.Single(node.Observer.Ended);
    }

    [Fact]
    public async Task A_session_asked_for_after_a_lock_on_the_login_does_not_start()
    {
        await using var node = new NodeServer(monitor: _monitor);
        Lock(new Lock { Name = "l1", Login = NodeServer.LoginName });

        var result = await node.SshAsync("echo should-not-run");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Text);
        Assert.Contains($"lock targeting Login:\"{NodeServer.LoginName}\" is in force", result.Error);
        Assert.Empty(node.Observer.Started);
    }

    [Fact]
    public async Task A_lock_on_another_user_leaves_the_session_running()
    {
        await using var node = new NodeServer(monitor: _monitor);
        Lock(new Lock { Name = "l1", User = "bob" });

        var result = await node.SshAsync("echo still-here");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("still-here\n", result.Text);
        Assert.Empty(Disconnects);
    }

    [Fact]
    public async Task An_expired_certificate_ends_the_session_when_a_role_sets_disconnect_expired_cert()
    {
        var validBefore = DateTimeOffset.UtcNow.AddSeconds(2);
        await using var node = new NodeServer(l => l with { CertificateValidBefore = validBefore, DisconnectExpiredCert = true }, monitor: _monitor);

        var result = await node.SshAsync("sleep 30").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(DateTimeOffset.UtcNow >= validBefore, "the session ended before the certificate expired");
        Assert.True(DateTimeOffset.UtcNow < validBefore + Promptly, "the session outlived its certificate");
        Assert.Contains($"client certificate expired at {validBefore.UtcDateTime:yyyy-MM-dd HH:mm:ss}", result.Error);
    }

    [Fact]
    public async Task Without_disconnect_expired_cert_a_session_outlives_its_certificate()
    {
        await using var node = new NodeServer(l => l with { CertificateValidBefore = DateTimeOffset.UtcNow.AddSeconds(1) }, monitor: _monitor);

        var result = await node.SshAsync("sleep 2; echo finished");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("finished\n", result.Text);
    }

    [Fact]
    public async Task A_session_without_client_input_for_the_idle_timeout_is_ended()
    {
        await using var node = new NodeServer(l => l with { ClientIdleTimeout = TimeSpan.FromSeconds(1) }, monitor: _monitor);

        var started = Stopwatch.StartNew();
        var result = await node.SshAsync("sleep 30").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, result.ExitCode);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1), Promptly);
        Assert.Contains("Client exceeded idle timeout of 1s", result.Error);
    }

    [Fact]
    public async Task Client_input_keeps_a_session_with_an_idle_timeout_running()
    {
        // The idle clock runs from the session's start: 4 s leaves a loaded machine room to start cat and bring the
        // first line in (with 3 s, one CI run of the whole project saw ssh end before the input did; why was not kept,
        // so a failure now says what ssh printed).
        await using var node = new NodeServer(l => l with { ClientIdleTimeout = TimeSpan.FromSeconds(4) }, monitor: _monitor);
        var start = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in node.SshOptions("-T"))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(NodeServer.LoginName + "@127.0.0.1");
        start.ArgumentList.Add("cat");
        using var ssh = Process.Start(start)!;
        var output = ssh.StandardOutput.ReadToEndAsync();
        var error = ssh.StandardError.ReadToEndAsync();
        try
        {
            // Twice the idle timeout, with input twice a second.
            for (var i = 0; i < 16; i++)
            {
                try
                {
                    await ssh.StandardInput.WriteLineAsync($"line-{i}");
                    await ssh.StandardInput.FlushAsync();
                }
                catch (IOException) when (ssh.HasExited || ssh.WaitForExit(5000))
                {
                    Assert.Fail($"ssh ended before line-{i} ({ssh.ExitCode}): {await error}; output: {await output}");
                }

                await Task.Delay(500);
            }

            ssh.StandardInput.Close();
            await ssh.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!ssh.HasExited)
            {
                ssh.Kill();
            }
        }

        Assert.True(ssh.ExitCode == 0, await error);
        Assert.Equal(string.Concat(Enumerable.Range(0, 16).Select(i => $"line-{i}\n")), await output);
    }

    [Fact]
    public async Task A_lock_closes_a_running_port_forward()
    {
        await using var node = new NodeServer(monitor: _monitor);
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var port = ((IPEndPoint)service.LocalEndpoint).Port;
        var accepted = service.AcceptTcpClientAsync();

        // ssh -W ends only when the forwarded connection closes: the service keeps it open.
        var run = ProcessRun.RunAsync("/usr/bin/ssh", [.. node.SshOptions("-W", $"127.0.0.1:{port}"), $"{NodeServer.LoginName}@127.0.0.1"], "hello\n"u8.ToArray());
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
        Lock(new Lock { Name = "l1", User = "alice" });
        var result = await run.WaitAsync(Promptly);

        Assert.Contains(Disconnects, d => d.Reason == "lock targeting User:\"alice\" is in force");
        Assert.Equal("", result.Text);
    }

    [Fact]
    public async Task A_lock_closes_the_whole_connection_with_a_disconnect_that_gives_the_reason()
    {
        await using var node = new NodeServer(monitor: _monitor);
        var run = node.SshAsync("sleep 30");
        await Eventually.TrueAsync(() => !node.Observer.Started.IsEmpty);

        Lock(new Lock { Name = "l1", User = "alice", Message = "stolen" });
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(255, result.ExitCode);
        Assert.Matches("Received disconnect from 127.0.0.1 port [0-9]+:11: lock targeting User:\"alice\" is in force: stolen", result.Error);
    }

    [Fact]
    public async Task A_connection_without_sessions_is_closed_when_idle_past_the_timeout()
    {
        await using var node = new NodeServer(l => l with { ClientIdleTimeout = TimeSpan.FromSeconds(1) }, monitor: _monitor);

        // ssh -N opens no session: only the connection is left to watch.
        var result = await node.SshAsync(null, null, null, "-N").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(255, result.ExitCode);
        Assert.Contains(":11: Client exceeded idle timeout of 1s", result.Error);
        Assert.Contains(Disconnects, d => d.Reason == "Client exceeded idle timeout of 1s");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _monitoring;
        _stop.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private void Lock(Lock accessLock)
    {
        var policy = new AccessPolicy();
        policy.Locks.Add(accessLock);
        _policy.Apply(policy);
    }
}
