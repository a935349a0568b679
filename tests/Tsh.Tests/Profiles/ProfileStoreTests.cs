using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Tsh.Tests.Support;

namespace Teleport.Orleans.Tsh.Tests.Profiles;

public sealed class ProfileStoreTests
{
    private static readonly SshPrivateKey UserCa = SshPrivateKey.Generate(SshKeyType.Ed25519);
    private static readonly SshPrivateKey HostCa = SshPrivateKey.Generate(SshKeyType.Ed25519);

    [Fact]
    public void A_login_is_stored_in_Teleports_layout_readable_only_by_the_owner()
    {
        using var home = new TempDirectory();
        var store = new ProfileStore(home.Path);
        using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);

        store.Save(Profile(), key, Certificate(key), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----", ["-----BEGIN CERTIFICATE-----\nAQ==\n-----END CERTIFICATE-----"], [HostCa.PublicKey]);

        Assert.Equal("proxy.example.com\n", File.ReadAllText(home.File("current-profile")));
        Assert.Contains("web_proxy_addr: proxy.example.com:3080", File.ReadAllText(home.File("proxy.example.com.yaml")));
        Assert.Contains("ssh_proxy_addr: proxy.example.com:3023", File.ReadAllText(home.File("proxy.example.com.yaml")));
        var keys = home.File("keys/proxy.example.com");
        Assert.Equal(key.PublicKey, SshPrivateKey.Parse(File.ReadAllText(Path.Combine(keys, "alice"))).PublicKey);
        Assert.Equal(key.PublicKey, SshPublicKey.Parse(File.ReadAllText(Path.Combine(keys, "alice.pub")).Trim()));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(Path.Combine(keys, "alice-x509.pem")));
        Assert.Equal("alice", SshCertificate.Parse(File.ReadAllText(Path.Combine(keys, "alice-ssh", "example-cert.pub")).Trim()).KeyId);
        Assert.True(File.Exists(Path.Combine(keys, "cas", "example.pem")));
        Assert.Contains("@cert-authority *.example,example,proxy.example.com ", File.ReadAllText(home.File("known_hosts")));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.EnumerateFiles(home.Path, "*", SearchOption.AllDirectories))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            foreach (var directory in Directory.EnumerateDirectories(home.Path, "*", SearchOption.AllDirectories))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            }
        }
    }

    [Fact]
    public void The_profile_file_is_written_field_by_field_as_before_the_native_build()
    {
        using var home = new TempDirectory();
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        new ProfileStore(home.Path).Save(Profile(), key, Certificate(key), "", [], [HostCa.PublicKey]);

        // The bytes the reflection-based serializer wrote (tsh before session 15): profiles on disk stay as they were.
        Assert.Equal(
            "web_proxy_addr: proxy.example.com:3080\nssh_proxy_addr: proxy.example.com:3023\nuser: alice\ncluster: example\n"
            + "tls_routing_enabled: false\ninsecure: false\n",
            File.ReadAllText(home.File("proxy.example.com.yaml")));
    }

    [Fact]
    public void A_profile_written_by_Teleports_tsh_with_fields_this_one_does_not_know_still_loads()
    {
        using var home = new TempDirectory();
        var store = new ProfileStore(home.Path);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);
        store.Save(Profile(), key, Certificate(key), "", [], [HostCa.PublicKey]);
        File.WriteAllText(home.File("proxy.example.com.yaml"), """
            # written by Teleport 17
            web_proxy_addr: proxy.example.com:443
            ssh_proxy_addr: proxy.example.com:3023
            kube_proxy_addr: proxy.example.com:3026
            user: alice
            cluster: example
            dynamic_signature_algorithm_suite: balanced-v1
            tls_routing_enabled: true
            """);

        var login = store.RequireLogin();

        Assert.Equal("proxy.example.com:443", login.Profile.WebProxyAddr);
        Assert.True(login.Profile.TlsRoutingEnabled);
        Assert.False(login.Profile.Insecure);
    }

    [Fact]
    public void The_stored_login_reads_back_with_its_key_and_certificate()
    {
        using var home = new TempDirectory();
        var store = new ProfileStore(home.Path);
        using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);
        store.Save(Profile(), key, Certificate(key), "", [], [HostCa.PublicKey]);

        var login = store.RequireLogin();

        Assert.Equal("alice", login.Profile.User);
        Assert.Equal("example", login.Profile.Cluster);
        Assert.Equal(key.PublicKey, login.Key.PublicKey);
        Assert.Equal(key.PublicKey, login.Certificate.PublicKey);
        Assert.Equal([HostCa.PublicKey], store.HostCaKeys(login.Profile));
    }

    [Fact]
    public void Logout_deletes_the_keys_and_the_profile_but_keeps_known_hosts()
    {
        using var home = new TempDirectory();
        var store = new ProfileStore(home.Path);
        using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);
        store.Save(Profile(), key, Certificate(key), "", [], [HostCa.PublicKey]);

        var removed = store.Remove();

        Assert.Equal("alice", removed!.User);
        Assert.False(Directory.Exists(home.File("keys/proxy.example.com")));
        Assert.False(File.Exists(home.File("proxy.example.com.yaml")));
        Assert.False(File.Exists(home.File("current-profile")));
        Assert.True(File.Exists(home.File("known_hosts")));
        Assert.Null(store.Remove());
    }

    [Fact]
    public void Commands_without_a_login_say_how_to_log_in()
    {
        using var home = new TempDirectory();

        var error = Assert.Throws<TshException>(() => new ProfileStore(home.Path).RequireLogin());

        Assert.Contains("tsh login --proxy=", error.Message);
    }

    [Fact]
    public void TSH_HOME_overrides_the_home_directory()
    {
        var store = ProfileStore.Default(name => name == "TSH_HOME" ? "/tmp/elsewhere" : null);

        Assert.Equal("/tmp/elsewhere", store.Home);
    }

    internal static Profile Profile() => new()
    {
        WebProxyAddr = "proxy.example.com:3080",
        SshProxyAddr = "proxy.example.com:3023",
        User = "alice",
        Cluster = "example",
    };

    private static string Certificate(SshPrivateKey key) => new SshCertificateBuilder
    {
        PublicKey = key.PublicKey,
        KeyId = "alice",
        Principals = ["alice", "root"],
        ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-1),
        ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
    }.Sign(UserCa).ToAuthorizedKeysLine();
}
