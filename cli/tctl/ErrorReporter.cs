using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Grpc.Core;
using Teleport.Orleans.AuthClient;

namespace Teleport.Orleans.Cli.Tctl;

/// <summary>Turns any failure into the one line tctl prints after "ERROR: ".</summary>
internal static class ErrorReporter
{
    public static string Describe(Exception error, string? authServer)
    {
        return error switch
        {
            TctlException e => e.Message,
            RpcException { Status.DebugException: { } transport } => DescribeTransport(transport, authServer),
            RpcException e => DescribeStatus(e),
            FormatException or IOException or UnauthorizedAccessException or CryptographicException => error.Message,
            AggregateException { InnerExceptions: [var inner] } => Describe(inner, authServer),
            _ => error.Message,
        };
    }

    private static string DescribeStatus(RpcException error)
    {
        var detail = error.Status.Detail;
        return string.IsNullOrWhiteSpace(detail) ? $"{error.StatusCode}" : detail;
    }

    /// <summary>A failure below gRPC: the call never reached the service.</summary>
    private static string DescribeTransport(Exception transport, string? authServer)
    {
        var where = authServer is null ? "the auth service" : $"the auth service at {authServer}";
        var chain = Chain(transport).ToList();
        if (chain.OfType<ServerCertificateException>().FirstOrDefault() is { } rejected)
        {
            return $"refusing to trust {where}: {rejected.Message}";
        }

        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused =>
                    $"connection refused: nothing is listening at {authServer ?? "the auth server address"}; " +
                    "is the auth service running? (set the address with --auth-server host:port)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"cannot resolve the host of {where}: {socket.Message}",
                SocketError.TimedOut => $"timed out connecting to {where}",
                _ => $"cannot connect to {where}: {socket.Message}",
            };
        }

        if (chain.Any(e => e is TimeoutException or TaskCanceledException))
        {
            return $"timed out connecting to {where}";
        }

        if (chain.Any(e => e is ObjectDisposedException or EndOfStreamException)
            || chain.Any(e => e is IOException && (e.Message.Contains("handshake", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("EOF", StringComparison.Ordinal))))
        {
            // The server hung up mid-handshake: with mutual TLS that is how a refused client certificate looks.
            return $"{where} closed the connection during the handshake; it most likely rejected this identity's certificate " +
                "(expired, or issued by another cluster's CA)";
        }

        if (chain.Any(e => e is AuthenticationException) || chain.Any(e => e.Message.Contains("SSL", StringComparison.Ordinal)))
        {
            return $"TLS handshake with {where} failed (is the identity file from this cluster and still valid?): {chain[^1].Message}";
        }

        return $"cannot reach {where}: {chain[^1].Message}";
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
