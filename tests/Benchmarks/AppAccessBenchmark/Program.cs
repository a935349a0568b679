using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

// App access overhead, two modes:
//   serve PORT                 a tiny app on 127.0.0.1:PORT answering every request with 200 "ok";
//   load URL SECONDS CONCURRENCY [CONNECT_PORT CERT KEY]
//                              keep-alive GETs of URL for SECONDS from CONCURRENCY workers; with CONNECT_PORT every
//                              name connects to 127.0.0.1:CONNECT_PORT (the proxy, Host and SNI from URL) presenting
//                              the client certificate CERT with KEY. Prints "rps=N p50_ms=N p99_ms=N errors=N".
if (args.Length >= 2 && args[0] == "serve")
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)));
    var app = builder.Build();
    app.MapFallback(() => "ok");
    await app.RunAsync();
    return 0;
}

if (args.Length < 4 || args[0] != "load")
{
    Console.Error.WriteLine("usage: AppAccessBenchmark serve PORT | load URL SECONDS CONCURRENCY [CONNECT_PORT CERT KEY]");
    return 2;
}

var url = new Uri(args[1]);
var seconds = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var concurrency = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = concurrency,
    UseCookies = false,
    AllowAutoRedirect = false,
    SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
};
if (args.Length >= 7)
{
    var connectPort = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
    using var pem = X509Certificate2.CreateFromPemFile(args[5], args[6]);
    handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
    handler.ConnectCallback = async (_, token) =>
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, connectPort, token);
        return new NetworkStream(socket, ownsSocket: true);
    };
}

using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
// Warm-up: connections, TLS handshakes, JIT.
for (var i = 0; i < concurrency * 20; i++)
{
    using var warm = await client.GetAsync(url);
}

var latencies = new List<double>[concurrency];
var errors = 0;
var stop = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(seconds);
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
{
    var own = latencies[worker] = new List<double>(100_000);
    while (stop.Elapsed < deadline)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(url);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref errors);
        }

        own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}));
var elapsed = stop.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
    $"rps={all.Length / elapsed:F0} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2} errors={errors}"));
return 0;
