using YamlDotNet.Serialization;

namespace Teleport.Orleans.Cli.Tsh.Profiles;

/// <summary>~/.tsh/&lt;proxy host&gt;.yaml: where the cluster is and who is logged in, with Teleport's field names.</summary>
internal sealed class Profile
{
    [YamlMember(Alias = "web_proxy_addr")]
    public string WebProxyAddr { get; set; } = "";

    [YamlMember(Alias = "ssh_proxy_addr")]
    public string SshProxyAddr { get; set; } = "";

    [YamlMember(Alias = "user")]
    public string User { get; set; } = "";

    [YamlMember(Alias = "cluster")]
    public string Cluster { get; set; } = "";

    [YamlMember(Alias = "tls_routing_enabled")]
    public bool TlsRoutingEnabled { get; set; }

    /// <summary>Whether the proxy's HTTPS certificate is left unverified (login with --insecure); later commands keep the choice.</summary>
    [YamlMember(Alias = "insecure")]
    public bool Insecure { get; set; }

    /// <summary>The proxy host: names the profile file and the key directory.</summary>
    [YamlIgnore]
    public string ProxyHost => ProxyAddress.Parse(WebProxyAddr, ProxyAddress.DefaultWebPort).Host;

    [YamlIgnore]
    public ProxyAddress Web => ProxyAddress.Parse(WebProxyAddr, ProxyAddress.DefaultWebPort);

    [YamlIgnore]
    public ProxyAddress Ssh => TlsRoutingEnabled ? Web : ProxyAddress.Parse(SshProxyAddr, ProxyAddress.DefaultSshPort);
}
