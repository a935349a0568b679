using Teleport.Orleans.Configuration;
using Teleport.Orleans.Contracts.Resources;
using Teleport.Orleans.Gateway.Hosting;
using Teleport.Orleans.Silo.Hosting;

namespace Teleport.Orleans.Cli.Teleport.Startup;

/// <summary>What a new operator needs to do after the first start, printed once the services are up.</summary>
internal static class NextSteps
{
    public static void Print(TextWriter output, AuthServiceOptions options, GatewayOptions? proxy, ClusterSettings settings, string? configPath)
    {
        var tctl = configPath is null
            ? (options.DataDir == Path.GetFullPath(TeleportDefaults.DataDir) ? "tctl" : $"tctl --data-dir {options.DataDir}")
            : $"tctl --config {configPath}";
        output.WriteLine();
        output.WriteLine("[AUTH]  Auth service is running.");
        output.WriteLine($"        Cluster:       {settings.ClusterName}");
        output.WriteLine($"        Auth API:      {options.ListenEndpoint} (gRPC, mutual TLS)");
        output.WriteLine($"        Second factor: {settings.AuthPreference.SecondFactor.ToString().ToLowerInvariant()}");
        output.WriteLine($"        Data dir:      {options.DataDir}");
        if (options.DiagnosticsEndpoint is { } diag)
        {
            output.WriteLine($"        Diagnostics:   http://{diag}/dashboard  http://{diag}/metrics");
        }

        if (proxy is not null)
        {
            output.WriteLine($"        Proxy web API: https://{proxy.WebListenEndpoint}");
            output.WriteLine(proxy.SshListenEndpoint is { } ssh
                ? $"        SSH proxy:     {ssh} (OpenSSH ssh -J, tsh)"
                : "        SSH proxy:     on the web port by ALPN (tsh ssh; OpenSSH through `tsh config`; set proxy_service.listen_addr for ssh -J)");
            if (proxy.PeerListenEndpoint is { } peer)
            {
                output.WriteLine($"        Proxy peers:   {peer} (advertised as {proxy.PeerPublicAddr})");
            }
        }

        output.WriteLine();
        output.WriteLine("Next steps:");
        output.WriteLine($"  1. Create the first user:   {tctl} users add admin --roles=access,editor --logins=root");
        output.WriteLine("     It prints an invite link; the user opens it to set a password and enrol an authenticator app.");
        output.WriteLine($"  2. Or sign certificates directly:  {tctl} auth sign --user=admin --ttl=8h --format=openssh --out=admin");
        output.WriteLine($"  3. Trust the user CA on OpenSSH servers: {tctl} auth export --type=user >> /etc/ssh/teleport_user_ca.pub");
        output.WriteLine();
    }
}
