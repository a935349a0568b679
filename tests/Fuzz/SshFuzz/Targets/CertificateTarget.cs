using System.Net;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Fuzz.Support;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// <see cref="SshCertificate.FromBlob"/> on arbitrary bytes. An accepted certificate must survive the text form
/// round-trip, and signature verification and validation (trusting its own CA, at a fixed time) must answer
/// without throwing. Only <see cref="FormatException"/> is expected from parsing.
/// </summary>
internal sealed class CertificateTarget : IFuzzTarget
{
    public string Name => "cert";

    public void Run(ReadOnlySpan<byte> data)
    {
        SshCertificate certificate;
        try
        {
            certificate = SshCertificate.FromBlob(data);
        }
        catch (FormatException)
        {
            return;
        }

        FuzzInvariantException.Check(certificate.Blob.AsSpan().SequenceEqual(data), "Blob differs from the parsed bytes");
        var reparsed = SshCertificate.Parse(certificate.ToAuthorizedKeysLine("fuzz"));
        FuzzInvariantException.Check(reparsed.Blob.AsSpan().SequenceEqual(data), "certificate line round-trip changed the blob");
        _ = certificate.ToString();
        _ = certificate.ValidAfter;
        _ = certificate.ValidBefore;
        certificate.VerifySignature();

        var validator = new SshCertificateValidator([certificate.SignatureKey], TimeSpan.FromMinutes(1), FixedClock.Instance);
        var principal = certificate.Principals.Count > 0 ? certificate.Principals[0] : "alice";
        _ = validator.ValidateUser(certificate, principal, IPAddress.Loopback).ToString();
        _ = validator.ValidateUser(certificate, principal, IPAddress.IPv6Loopback).ToString();
        _ = validator.ValidateHost(certificate, principal).ToString();
    }
}
