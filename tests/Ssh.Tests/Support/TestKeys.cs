using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>Keys generated once per test run; RSA generation is too slow to repeat in every test.</summary>
internal static class TestKeys
{
    private static readonly Dictionary<SshKeyType, Lazy<SshPrivateKey>> Keys =
        Enum.GetValues<SshKeyType>().ToDictionary(t => t, t => new Lazy<SshPrivateKey>(() => SshPrivateKey.Generate(t)));

    private static readonly Dictionary<SshKeyType, Lazy<SshPrivateKey>> OtherKeys =
        Enum.GetValues<SshKeyType>().ToDictionary(t => t, t => new Lazy<SshPrivateKey>(() => SshPrivateKey.Generate(t)));

    /// <summary>A shared key of the given type (do not dispose).</summary>
    public static SshPrivateKey Get(SshKeyType type) => Keys[type].Value;

    /// <summary>A second, different shared key of the given type (do not dispose).</summary>
    public static SshPrivateKey GetOther(SshKeyType type) => OtherKeys[type].Value;
}
