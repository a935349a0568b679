namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>The registry of fuzz targets, in the order <c>fuzz.sh all</c> runs them.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new PacketTarget(),
        new KexInitTarget(),
        new UserAuthTarget(),
        new CertificateTarget(),
        new PublicKeyTarget(),
        new PrivateKeyTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
