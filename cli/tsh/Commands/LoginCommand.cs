using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Credentials;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Cli.Tsh.WebApi;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh login: asks the proxy what the cluster wants (ping), reads the password and, when required, the one-time
/// password, sends a fresh public key, and stores the certificates it gets back in ~/.tsh.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(TshContext context)
    {
        var ttl = new Option<int>("--ttl") { Description = "Minutes the certificates are valid (default: the cluster's, 12 hours)" };
        var command = new Command("login", "Log in to a cluster and retrieve the session certificate") { ttl };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = context.Store;
            var current = store.Current();
            var proxyText = parseResult.GetValue(context.Globals.Proxy) ?? context.Environment("TELEPORT_PROXY") ?? current?.WebProxyAddr
                ?? throw new TshException("Which proxy? Use --proxy=HOST:PORT.");
            var proxy = ProxyAddress.Parse(proxyText, ProxyAddress.DefaultWebPort);
            var user = parseResult.GetValue(context.Globals.User) ?? context.Environment("TELEPORT_USER")
                ?? (current is not null && current.ProxyHost == proxy.Host ? current.User : Environment.UserName);
            var insecure = parseResult.GetValue(context.Globals.Insecure);
            var minutes = parseResult.GetValue(ttl);
            if (minutes < 0)
            {
                throw new TshException("--ttl must be a positive number of minutes.");
            }

            using var web = new WebApiClient(proxy, insecure);
            var ping = await web.PingAsync(cancellationToken);
            var reader = new CredentialReader(context.In, context.Error, context.InputIsTerminal);
            var password = reader.ReadSecret($"Enter password for Teleport user {user}: ");
            var otp = ping.WantsOtp ? reader.ReadSecret("Enter your OTP token: ") : "";

            using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);
            var result = await web.LoginAsync(user, password, otp.Trim(), key.PublicKey.ToAuthorizedKeysLine(), minutes * 60L, cancellationToken);
            var profile = new Profile
            {
                WebProxyAddr = proxy.ToString(),
                SshProxyAddr = SshProxyAddress(ping.SshPublicAddr, proxy).ToString(),
                User = user,
                Cluster = ping.ClusterName,
                TlsRoutingEnabled = ping.TlsRoutingEnabled,
                Insecure = insecure,
            };
            store.Save(profile, key, result.SshCertificate, result.TlsCertificate, result.TlsCas, result.HostCaKeys);
            StatusCommand.Write(context.Out, store.RequireLogin());
            return 0;
        });
        return command;
    }

    /// <summary>The proxy's SSH address from ping; an unspecified host ("0.0.0.0:3023", ":3023") is the proxy's own host.</summary>
    internal static ProxyAddress SshProxyAddress(string advertised, ProxyAddress web)
    {
        if (advertised.Length == 0)
        {
            return new ProxyAddress(web.Host, ProxyAddress.DefaultSshPort);
        }

        var address = ProxyAddress.Parse(advertised, ProxyAddress.DefaultSshPort);
        return advertised.StartsWith(':') || address.Host is "0.0.0.0" or "::" ? address with { Host = web.Host } : address;
    }
}
