namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>One sshd per test class that uses it.</summary>
public sealed class OpenSshServerFixture : IAsyncLifetime
{
    private OpenSshServer? _server;

    internal OpenSshServer Server => _server ?? throw new InvalidOperationException("sshd is not started.");

    public async Task InitializeAsync() => _server = await OpenSshServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
