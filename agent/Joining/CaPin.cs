using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>Teleport's CA pin: <c>sha256:</c> and the hex SHA-256 of the CA certificate's SubjectPublicKeyInfo.</summary>
internal static class CaPin
{
    public static string Of(X509Certificate2 ca) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(ca.PublicKey.ExportSubjectPublicKeyInfo()));

    public static bool Matches(X509Certificate2 ca, IReadOnlyList<string> pins) =>
        pins.Any(p => string.Equals(p.Trim(), Of(ca), StringComparison.OrdinalIgnoreCase));
}
