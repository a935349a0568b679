using System.Net.Sockets;

namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// Copies an agent's "auth" tunnel connection to the auth API both ways. The gateway sees only ciphertext: the
/// node's mTLS with the auth service runs end to end, and the auth service checks the node's client certificate.
/// </summary>
internal static class AuthSplice
{
    public static async Task RunAsync(Stream agent, string authServer, CancellationToken cancellationToken)
    {
        if (authServer.Length == 0)
        {
            throw new IOException("this gateway has no auth server address to forward tunnel auth connections to");
        }

        var colon = authServer.LastIndexOf(':');
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(authServer[..colon].Trim('[', ']'), int.Parse(authServer[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await using var auth = client.GetStream();
        await StreamSplice.RunAsync(agent, auth, cancellationToken);
    }
}
