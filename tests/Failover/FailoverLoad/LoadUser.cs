using System.Diagnostics;
using System.Net.Http.Json;
using Grpc.Core;
using Teleport.Orleans.AuthClient;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Failover;

/// <summary>
/// The user the load runs as: a password for web logins (the cluster runs without a second factor), an Ed25519 key
/// with a certificate for OpenSSH through the proxies, and an ssh_config that uses them.
/// </summary>
internal sealed record LoadUser(string Name, string Password, string PublicKey, string SshConfig)
{
    public static async Task<LoadUser> CreateAsync(HaCluster cluster)
    {
        var dir = Directory.CreateDirectory(Path.Combine(cluster.Dir, "load")).FullName;
        var name = "loaduser";
        var password = "failover-" + Guid.NewGuid().ToString("N")[..16];
        var client = AuthClientFactory.Create(cluster.AuthAddr, IdentityFile.Load(cluster.AdminIdentity), out var channel);
        using (channel)
        {
            try
            {
                var created = new CreateUserRequest { Name = name };
                created.Roles.Add("access");
                created.Logins.Add("root");
                await client.CreateUserAsync(created);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
            {
            }

            // An invite (or a reset for an existing user) redeemed through the web API sets the password.
            UserTokenResponse token;
            try
            {
                token = await client.CreateUserTokenAsync(new CreateUserTokenRequest { User = name, Kind = "invite", TtlSeconds = 3600 });
            }
            catch (RpcException)
            {
                token = await client.CreateUserTokenAsync(new CreateUserTokenRequest { User = name, Kind = "reset", TtlSeconds = 3600 });
            }

            using var web = WebClient(cluster.WebAddr);
            (await web.PutAsJsonAsync("/v1/webapi/users/password/token", new { token = token.Token, password })).EnsureSuccessStatusCode();

            var key = Path.Combine(dir, "id");
            File.Delete(key);
            File.Delete(key + ".pub");
            using (var keygen = Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]))
            {
                await keygen.WaitForExitAsync();
            }

            var publicKey = (await File.ReadAllTextAsync(key + ".pub")).Trim();
            var certs = await client.GenerateUserCertsAsync(new GenerateUserCertsRequest { User = name, SshPublicKey = publicKey, TtlSeconds = 8 * 3600 });
            await File.WriteAllTextAsync(key + "-cert.pub", certs.SshCertificate.Trim() + "\n");
            var config = Path.Combine(dir, "ssh_config");
            await File.WriteAllTextAsync(config, $"""
                Host *
                  User root
                  IdentityFile {key}
                  CertificateFile {key}-cert.pub
                  IdentitiesOnly yes
                  StrictHostKeyChecking no
                  UserKnownHostsFile /dev/null
                  BatchMode yes
                  ConnectTimeout 10
                  LogLevel ERROR

                """);
            return new LoadUser(name, password, publicKey, config);
        }
    }

    /// <summary>A client of the web API through the public load balancer; the proxies' certificate is self-signed.</summary>
    public static HttpClient WebClient(string webAddr) =>
        new(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = new Uri($"https://{webAddr}"),
            Timeout = TimeSpan.FromSeconds(15),
        };
}
