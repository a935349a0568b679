namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Maps certificate validity seconds to <see cref="DateTimeOffset"/>; ulong.MaxValue means forever.</summary>
internal static class CertificateTime
{
    private static readonly ulong MaxRepresentableSeconds = (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static DateTimeOffset FromSeconds(ulong seconds) =>
        seconds > MaxRepresentableSeconds ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds((long)seconds);

    public static ulong ToSeconds(DateTimeOffset time, string paramName)
    {
        if (time == DateTimeOffset.MaxValue)
        {
            return ulong.MaxValue;
        }

        if (time < DateTimeOffset.UnixEpoch)
        {
            throw new ArgumentOutOfRangeException(paramName, time, "Certificate times cannot precede the Unix epoch.");
        }

        return (ulong)time.ToUnixTimeSeconds();
    }
}
