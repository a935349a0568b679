using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// What a joined node holds: its keys, its host SSH certificate, its X.509 client certificate and the cluster's CAs.
/// Saved in the data dir (0600) and reused on restart, so a node joins once per data dir.
/// </summary>
internal sealed record NodeIdentity
{
    public const string FileName = "node_identity.json";

    public required string HostId { get; init; }

    public required string NodeName { get; init; }

    public required string ClusterName { get; init; }

    /// <summary>Ed25519 SSH host key, OpenSSH PEM.</summary>
    public required string SshPrivateKeyPem { get; init; }

    /// <summary>The host certificate (authorized_keys form) signed by the host CA.</summary>
    public required string SshCertificate { get; init; }

    /// <summary>ECDSA P-256 TLS key, PKCS#8 PEM.</summary>
    public required string TlsPrivateKeyPem { get; init; }

    public required string TlsCertificatePem { get; init; }

    public required string TlsCaPem { get; init; }

    public string HostCa { get; init; } = "";

    public string UserCa { get; init; } = "";

    /// <summary>When the X.509 certificate expires (the SSH host certificate does not expire sooner).</summary>
    public DateTimeOffset NotAfter => TlsCertificate().NotAfter.ToUniversalTime();

    public DateTimeOffset NotBefore => TlsCertificate().NotBefore.ToUniversalTime();

    public static NodeIdentity FromCertificates(string hostId, string nodeName, SshPrivateKey sshKey, ECDsa tlsKey, Certificates issued) => new()
    {
        HostId = hostId,
        NodeName = nodeName,
        ClusterName = issued.ClusterName,
        SshPrivateKeyPem = sshKey.ToOpenSshPem(),
        SshCertificate = issued.SshCertificate,
        TlsPrivateKeyPem = tlsKey.ExportPkcs8PrivateKeyPem(),
        TlsCertificatePem = issued.TlsCertificate,
        TlsCaPem = issued.TlsCa,
        HostCa = issued.HostCa,
        UserCa = issued.UserCa,
    };

    public X509Certificate2 TlsCertificate() => X509Certificate2.CreateFromPem(TlsCertificatePem);

    /// <summary>The client certificate with its private key, for mutual TLS to the auth service.</summary>
    public X509Certificate2 ClientCertificate()
    {
        using var pemBound = X509Certificate2.CreateFromPem(TlsCertificatePem, TlsPrivateKeyPem);
        // Ephemeral PEM-bound keys do not work for TLS client auth on every platform; a PKCS#12 round trip does.
        return X509CertificateLoader.LoadPkcs12(pemBound.Export(X509ContentType.Pkcs12), null);
    }

    public X509Certificate2 TlsCaCertificate() => X509Certificate2.CreateFromPem(TlsCaPem);

    public SshPrivateKey HostKey() => SshPrivateKey.Parse(SshPrivateKeyPem);

    public SshCertificate HostCertificate() => Ssh.Certificates.SshCertificate.Parse(SshCertificate);

    /// <summary>The saved identity of <paramref name="dataDir"/>, or null when the node has not joined yet.</summary>
    public static NodeIdentity? Load(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), NodeIdentityJsonContext.Default.NodeIdentity)
                ?? throw new InvalidDataException("empty document");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new InvalidOperationException($"{path} is not a valid node identity ({ex.Message}); remove it to join again", ex);
        }
    }

    /// <summary>Writes the identity atomically (temp file + rename) with mode 0600: it holds private keys.</summary>
    public void Save(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, this, NodeIdentityJsonContext.Default.NodeIdentity);
        }

        File.Move(temp, path, overwrite: true);
    }
}
