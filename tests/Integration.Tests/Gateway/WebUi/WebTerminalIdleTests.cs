using System.Diagnostics;
using System.Net;

namespace Teleport.Orleans.Integration.Tests.Gateway.WebUi;

/// <summary>An open web terminal and the web session's idle timeout (a cluster of its own, with a 10 s timeout).</summary>
public sealed class WebTerminalIdleTests : IAsyncLifetime
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    private readonly WebUiCluster _cluster = new($"  web_idle_timeout: {IdleTimeout.TotalSeconds:0}s");

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Typing_in_the_web_terminal_keeps_the_web_session_alive_and_the_terminal_ends_once_the_user_stops()
    {
        using var browser = await _cluster.SignIn("web-user");
        await using var terminal = await WebTerminalTests.Open(browser);

        // Someone typing a line now and then for more than twice the idle timeout, and no other call from the page meanwhile.
        var typing = Stopwatch.StartNew();
        var typed = 0;
        while (typing.Elapsed < IdleTimeout * 2.5)
        {
            typed++;
            await terminal.Type($"echo typed-$((1000+{typed}))\r");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var alive = await browser.Get($"/v1/webapi/sites/{WebUiCluster.Site}/context");
        await terminal.ReadUntil(t => t.Ended is not null, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Contains($"typed-{1000 + typed}", terminal.Output, StringComparison.Ordinal);
        Assert.Contains("without activity", terminal.Ended, StringComparison.Ordinal);
    }
}
