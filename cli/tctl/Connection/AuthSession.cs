using Grpc.Net.Client;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Cli.Tctl.Connection;

/// <summary>An open connection to the auth service for the length of one command.</summary>
internal sealed class AuthSession : IDisposable
{
    private readonly GrpcChannel _channel;

    private AuthSession(string authServer, AuthService.AuthServiceClient client, GrpcChannel channel)
    {
        AuthServer = authServer;
        Client = client;
        _channel = channel;
    }

    public string AuthServer { get; }

    public AuthService.AuthServiceClient Client { get; }

    public static AuthSession Open(ConnectionTarget target)
    {
        IdentityFile identity;
        try
        {
            identity = IdentityFile.Load(target.IdentityPath);
        }
        catch (FormatException e)
        {
            throw new TctlException($"cannot use identity file: {e.Message}");
        }

        var client = AuthClientFactory.Create(target.AuthServer, identity, out var channel);
        return new AuthSession(target.AuthServer, client, channel);
    }

    public void Dispose() => _channel.Dispose();
}
