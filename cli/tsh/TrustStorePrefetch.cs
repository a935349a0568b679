using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Cli.Tsh;

/// <summary>
/// Loads the system's CA certificates on another thread while tsh starts, for the commands that call the proxy's web
/// API. On Linux .NET reads them all (/etc/ssl/certs: a bundle and a directory of ~300 files, ~45 ms here) the first
/// time a TLS connection builds a certificate chain, which every call with the user's certificate does, once per
/// process. Loaded while the command line is parsed and the profile read, the first handshake finds them cached.
/// </summary>
internal static class TrustStorePrefetch
{
    // The commands whose first step is a web API call with the user's TLS certificate.
    private static readonly HashSet<string> s_webCommands = new(StringComparer.Ordinal) { "ls", "login", "apps", "recordings", "sessions", "play" };

    public static void Start(string[] args)
    {
        if (!OperatingSystem.IsLinux() || args.Length == 0 || !s_webCommands.Contains(args[0]))
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static _ =>
        {
            try
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
                store.Open(OpenFlags.ReadOnly);
                foreach (var certificate in store.Certificates)
                {
                    certificate.Dispose();
                }
            }
            catch (CryptographicException)
            {
                // No readable system store: the handshake will say what it needs to.
            }
        }, null);
    }
}
