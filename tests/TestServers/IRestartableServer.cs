namespace Teleport.Orleans.TestServers;

/// <summary>
/// A test server that can be taken away and brought back on the same port and data: <see cref="IAsyncLifetime.InitializeAsync"/>
/// starts it the first time, <see cref="StopAsync"/> stops it by its process id, <see cref="StartAsync"/> starts it again.
/// </summary>
public interface IRestartableServer : IAsyncLifetime
{
    Task StartAsync();

    Task StopAsync();
}
