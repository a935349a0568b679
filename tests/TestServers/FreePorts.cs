using System.Net;
using System.Net.Sockets;

namespace Teleport.Orleans.TestServers;

public static class FreePorts
{
    /// <summary>Ports the kernel reports free on loopback right now; all listeners are held until every port is chosen.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToList();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
