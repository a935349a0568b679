namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>One auth server shared by the tests that do not restart it.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal TeleportServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TeleportServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "auth server";
}
