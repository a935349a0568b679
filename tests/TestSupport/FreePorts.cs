using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.TestSupport;

/// <summary>Free loopback ports for servers a test starts.</summary>
public static class FreePorts
{
    // Below Linux's ephemeral range (32768+): a port the kernel hands out for port 0 can be taken by any outgoing
    // connection's local end between our pick and the server's bind, which made tests fail with "address in use".
    // deploy/local/ha-lib.sh (the HA tests' clusters) takes 10000-15999, so the two never pick the same port.
    private const int First = 16000;
    private const int Count = 13000;

    private static readonly HashSet<int> Given = [];

    /// <summary>Ports free on loopback right now, below the ephemeral range, each handed out once per test process.</summary>
    public static int[] Take(int count)
    {
        lock (Given)
        {
            var ports = new List<int>(count);
            while (ports.Count < count)
            {
                var port = First + Random.Shared.Next(Count);
                if (Given.Add(port) && IsFree(port))
                {
                    ports.Add(port);
                }
            }

            return [.. ports];
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
