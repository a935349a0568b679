using System.Text;
using Teleport.Orleans.Cli.Tsh.Profiles;

namespace Teleport.Orleans.Cli.Tsh.OpenSsh;

/// <summary>
/// The OpenSSH client configuration <c>tsh config</c> prints (the shape of Teleport's): hosts <c>*.cluster</c> use the
/// tsh key and certificate, trust the cluster's host CA through ~/.tsh/known_hosts, and reach nodes through
/// <c>tsh proxy ssh</c> as their ProxyCommand, so plain <c>ssh login@node.cluster</c> goes through the proxy.
/// </summary>
internal static class SshConfigBlock
{
    private const string CertificateHostKeyAlgorithms =
        "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com";

    /// <param name="tshCommand">How to run tsh from a shell (already quoted), e.g. <c>"/usr/local/bin/tsh"</c>.</param>
    /// <param name="tshHome">TSH_HOME to pass to the ProxyCommand, when it is not ~/.tsh.</param>
    public static string Render(ProfileStore store, Profile profile, string tshCommand, string? tshHome)
    {
        var cluster = profile.Cluster;
        var environment = tshHome is null ? "" : $"env TSH_HOME={Quote(tshHome)} ";
        return new StringBuilder()
            .Append("# Begin generated Teleport configuration for ").Append(profile.ProxyHost).AppendLine(" by tsh")
            .AppendLine()
            .Append("# Common flags for all ").Append(cluster).AppendLine(" hosts")
            .Append("Host *.").AppendLine(cluster)
            .Append("    UserKnownHostsFile ").AppendLine(Quote(store.KnownHostsFile))
            .Append("    IdentityFile ").AppendLine(Quote(store.PrivateKeyFile(profile)))
            .Append("    CertificateFile ").AppendLine(Quote(store.SshCertificateFile(profile)))
            .Append("    HostKeyAlgorithms ").AppendLine(CertificateHostKeyAlgorithms)
            .AppendLine("    IdentitiesOnly yes")
            .AppendLine("    Port 3022")
            .Append("    ProxyCommand ").Append(environment).Append(tshCommand)
            .Append(" proxy ssh --cluster=").Append(cluster).Append(" --proxy=").Append(profile.WebProxyAddr).AppendLine(" %r@%h:%p")
            .AppendLine()
            .AppendLine("# End generated Teleport configuration")
            .ToString();
    }

    /// <summary>Double quotes for OpenSSH's config parser and the shell that runs ProxyCommand.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:@".Contains(c)) ? value : $"\"{value.Replace("\"", "\\\"")}\"";
}
