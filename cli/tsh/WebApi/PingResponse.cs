using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>What <c>GET /webapi/ping</c> tells a client before login (Teleport's ping response, the fields tsh uses).</summary>
internal sealed record PingResponse(string ClusterName, string ServerVersion, string SecondFactor, string SshPublicAddr, bool TlsRoutingEnabled)
{
    /// <summary>Whether login must send a one-time password: Teleport's "otp", "on" and "optional" ask for one.</summary>
    public bool WantsOtp => SecondFactor is "otp" or "on" or "optional";

    public static PingResponse Parse(JsonElement root)
    {
        var auth = root.Field("auth");
        var proxy = root.Field("proxy");
        var ssh = proxy?.Field("ssh");
        var sshAddr = ssh?.Text("ssh_public_addr") is { Length: > 0 } publicAddr ? publicAddr : ssh?.Text("listen_addr") ?? "";
        return new PingResponse(
            root.Text("cluster_name") ?? throw new TshException("The proxy's ping answer has no cluster_name: is this a Teleport proxy?"),
            root.Text("server_version") ?? "",
            auth?.Text("second_factor") ?? "off",
            sshAddr,
            proxy?.Field("tls_routing_enabled") is { ValueKind: JsonValueKind.True });
    }
}
