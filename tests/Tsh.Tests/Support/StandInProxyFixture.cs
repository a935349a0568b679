namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>One stand-in proxy (with its sshd node) per test class, and a TSH_HOME already logged in to it.</summary>
public sealed class StandInProxyFixture : IAsyncLifetime
{
    private StandInProxy? _proxy;

    internal StandInProxy Proxy => _proxy ?? throw new InvalidOperationException("The proxy is not started.");

    internal TempDirectory Home { get; } = new();

    internal TshRun Tsh => new(Home.Path);

    internal string ProxyAddress => $"127.0.0.1:{Proxy.WebPort}";

    public async Task InitializeAsync()
    {
        _proxy = await StandInProxy.StartAsync();
        var login = await Tsh.RunWithInputAsync($"{StandInProxy.Password}\n{StandInProxy.Otp}\n", "login", $"--proxy={ProxyAddress}", "--user=alice", "--insecure");
        if (login.ExitCode != 0)
        {
            throw new InvalidOperationException($"tsh login failed: {login}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        Home.Dispose();
    }
}
