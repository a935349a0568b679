namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>Certificate algorithm names: the plain key algorithm plus <c>-cert-v01@openssh.com</c>.</summary>
internal static class CertificateAlgorithms
{
    public const string Suffix = "-cert-v01@openssh.com";

    public static string ForKey(string keyAlgorithm) => keyAlgorithm + Suffix;

    /// <summary>The plain key algorithm a certificate type embeds, or null if not a supported certificate type.</summary>
    public static string? KeyAlgorithm(string certificateAlgorithm)
    {
        if (!certificateAlgorithm.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var key = certificateAlgorithm[..^Suffix.Length];
        return Keys.SshAlgorithmNames.IsKnownKeyAlgorithm(key) ? key : null;
    }
}
