using System.Net;
using System.Runtime.InteropServices;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Benchmarks.SshThroughput;

/// <summary>
/// The SSH server that tests/Benchmarks/ssh-throughput.sh measures: an <see cref="SshListener"/> on 127.0.0.1 with
/// one host key, one authorized client key (any user name), and exec sessions that read stdin to the end and exit 0.
/// Prints <c>port N</c> once listening; stops on SIGTERM or SIGINT.
/// </summary>
internal static class BenchmarkServer
{
    private const string Usage = "usage: SshServerBenchmark HOST_KEY_FILE AUTHORIZED_KEY_PUB_FILE [PORT]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 2 or > 3)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var hostKey = SshPrivateKey.Parse(await File.ReadAllTextAsync(args[0]));
        var authorized = SshPublicKey.Parse(await File.ReadAllTextAsync(args[1]));
        var port = args.Length == 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;

        var options = new SshServerOptions
        {
            Authenticate = (request, _) => ValueTask.FromResult(request.PublicKey.Equals(authorized)
                ? SshAuthenticationResult.Accept()
                : SshAuthenticationResult.Reject("not the benchmark key")),
            SessionHandlerFactory = _ => new DrainSessionHandler(),
            // The idle-memory measurement opens 50 connections in quick succession.
            MaxUnauthenticatedConnections = 200,
        };
        options.HostKeys.Add(hostKey);

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using var listener = new SshListener(new SshServer(options), new IPEndPoint(IPAddress.Loopback, port));
        listener.Start();
        Console.WriteLine($"port {listener.LocalEndPoint.Port}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
