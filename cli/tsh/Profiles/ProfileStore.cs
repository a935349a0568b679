using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>
/// The ~/.tsh directory (TSH_HOME overrides it) laid out as Teleport's tsh lays it out:
/// <c>current-profile</c>, <c>&lt;proxy&gt;.yaml</c>, <c>keys/&lt;proxy&gt;/&lt;user&gt;</c> (private key),
/// <c>&lt;user&gt;.pub</c>, <c>&lt;user&gt;-x509.pem</c>, <c>&lt;user&gt;-ssh/&lt;cluster&gt;-cert.pub</c>,
/// <c>cas/&lt;cluster&gt;.pem</c> and <c>known_hosts</c>. Files are 0600 and directories 0700: they hold keys.
/// </summary>
internal sealed class ProfileStore(string home)
{
    // The generated context instead of reflection (Native AOT); the same settings, so profiles on disk stay as they were.
    private static readonly ProfileYamlContext Yaml = new();
    private static readonly ISerializer Writer = new StaticSerializerBuilder(Yaml).WithNamingConvention(NullNamingConvention.Instance).Build();
    private static readonly IDeserializer Reader = new StaticDeserializerBuilder(Yaml).IgnoreUnmatchedProperties().Build();

    public string Home { get; } = home;

    public string CurrentProfileFile => Path.Combine(Home, "current-profile");

    public string KnownHostsFile => Path.Combine(Home, "known_hosts");

    /// <summary>TSH_HOME when set, otherwise ~/.tsh.</summary>
    public static ProfileStore Default(Func<string, string?> environment) =>
        new(environment("TSH_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".tsh"));

    public string ProfileFile(string proxyHost) => Path.Combine(Home, $"{proxyHost}.yaml");

    public string KeyDirectory(string proxyHost) => Path.Combine(Home, "keys", proxyHost);

    public string PrivateKeyFile(Profile profile) => Path.Combine(KeyDirectory(profile.ProxyHost), profile.User);

    public string PublicKeyFile(Profile profile) => PrivateKeyFile(profile) + ".pub";

    public string TlsCertificateFile(Profile profile) => PrivateKeyFile(profile) + "-x509.pem";

    public string SshCertificateFile(Profile profile) => Path.Combine(PrivateKeyFile(profile) + "-ssh", $"{profile.Cluster}-cert.pub");

    /// <summary>Where <c>tsh apps login</c> keeps an app's key and certificate (Teleport's <c>USER-app/CLUSTER/</c>).</summary>
    public string AppDirectory(Profile profile) => Path.Combine(PrivateKeyFile(profile) + "-app", profile.Cluster);

    public string AppKeyFile(Profile profile, string app) => Path.Combine(AppDirectory(profile), $"{app}.key");

    public string AppCertificateFile(Profile profile, string app) => Path.Combine(AppDirectory(profile), $"{app}-x509.pem");

    public string TlsCaFile(Profile profile) => Path.Combine(KeyDirectory(profile.ProxyHost), "cas", $"{profile.Cluster}.pem");

    /// <summary>Stores a login and makes its profile the current one.</summary>
    public void Save(Profile profile, SshPrivateKey key, string sshCertificate, string tlsCertificate, IReadOnlyList<string> tlsCas, IReadOnlyList<SshPublicKey> hostCaKeys)
    {
        WriteFile(ProfileFile(profile.ProxyHost), Writer.Serialize(profile));
        WriteFile(PrivateKeyFile(profile), key.ToOpenSshPem(profile.User));
        WriteFile(PublicKeyFile(profile), key.PublicKey.ToAuthorizedKeysLine() + "\n");
        WriteFile(SshCertificateFile(profile), sshCertificate.TrimEnd() + "\n");
        if (tlsCertificate.Length > 0)
        {
            WriteFile(TlsCertificateFile(profile), tlsCertificate.TrimEnd() + "\n");
        }

        if (tlsCas.Count > 0)
        {
            WriteFile(TlsCaFile(profile), string.Join("\n", tlsCas.Select(c => c.TrimEnd())) + "\n");
        }

        var known = File.Exists(KnownHostsFile) ? File.ReadAllText(KnownHostsFile) : "";
        WriteFile(KnownHostsFile, Profiles.KnownHostsFile.Merge(known, profile.Cluster, profile.ProxyHost, hostCaKeys));
        WriteFile(CurrentProfileFile, profile.ProxyHost + "\n");
    }

    /// <summary>The current profile, or null when nobody is logged in.</summary>
    public Profile? Current()
    {
        if (!File.Exists(CurrentProfileFile))
        {
            return null;
        }

        var proxyHost = File.ReadAllText(CurrentProfileFile).Trim();
        var file = ProfileFile(proxyHost);
        if (proxyHost.Length == 0 || !File.Exists(file))
        {
            return null;
        }

        try
        {
            return Reader.Deserialize<Profile>(File.ReadAllText(file));
        }
        // The static deserializer casts a document that is not a mapping (a bare scalar) itself, without a YamlException.
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidCastException)
        {
            throw new TshException($"The profile {file} is damaged ({ex.Message}); run 'tsh logout' and log in again.", ex);
        }
    }

    /// <summary>The current profile with its key and certificate; a clear error when not logged in.</summary>
    public LoggedInUser RequireLogin()
    {
        var profile = Current() ?? throw new TshException("Not logged in. Run 'tsh login --proxy=HOST:PORT --user=NAME' first.");
        try
        {
            var key = SshPrivateKey.Parse(File.ReadAllText(PrivateKeyFile(profile)));
            var certificate = SshCertificate.Parse(File.ReadAllText(SshCertificateFile(profile)).Trim());
            return new LoggedInUser(profile, key, certificate);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new TshException($"The keys of profile '{profile.ProxyHost}' cannot be read ({ex.Message}); run 'tsh login' again.", ex);
        }
    }

    /// <summary>The host CA keys trusted for the profile's cluster.</summary>
    public IReadOnlyList<SshPublicKey> HostCaKeys(Profile profile) =>
        File.Exists(KnownHostsFile) ? Profiles.KnownHostsFile.HostCaKeys(File.ReadAllText(KnownHostsFile), profile.Cluster) : [];

    /// <summary>Deletes the current login's keys and profile; returns the profile removed, or null.</summary>
    public Profile? Remove()
    {
        var profile = Current();
        if (profile is null)
        {
            return null;
        }

        var keys = KeyDirectory(profile.ProxyHost);
        if (Directory.Exists(keys))
        {
            Directory.Delete(keys, recursive: true);
        }

        File.Delete(ProfileFile(profile.ProxyHost));
        File.Delete(CurrentProfileFile);
        return profile;
    }

    internal static void WriteFile(string path, string content)
    {
        CreatePrivateDirectory(Path.GetDirectoryName(path)!);
        // Written under a temporary name and moved, so a crash never leaves half a key; created 0600 from the start.
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        CreatePrivateDirectory(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
