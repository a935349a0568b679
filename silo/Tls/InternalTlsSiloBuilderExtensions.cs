using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Teleport.Orleans.Silo.Tls;

/// <summary>
/// Mutual TLS 1.3 on every Orleans connection of the silo, with certificates from the cluster's X.509 CA: the silo
/// port accepts only other silos (role Auth), the gateway port only proxies (role Proxy) and silos, and a silo
/// dialling another accepts only an Auth certificate. Each listener has its own options because the certificate
/// callback cannot tell which listener a peer came in on.
/// </summary>
public static class InternalTlsSiloBuilderExtensions
{
    internal static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    public static ISiloBuilder UseInternalMutualTls(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<ClusterTransportIdentity>();
        silo.Services.AddSingleton<TlsRefusalLog>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterTransportIdentityLoader>();
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<ClusterTransportIdentity, TlsRefusalLog>((connections, identity, refusals) =>
        {
            connections.ConfigureSiloInboundConnection(builder =>
            {
                refusals.Track(builder, "silo");
                builder.UseServerTls(Server(identity, refusals, "silo", [ClusterTransportIdentity.AuthRole]));
            });
            connections.ConfigureGatewayInboundConnection(builder =>
            {
                refusals.Track(builder, "gateway");
                builder.UseServerTls(Server(identity, refusals, "gateway", [ClusterTransportIdentity.ProxyRole, ClusterTransportIdentity.AuthRole]));
            });
            connections.ConfigureSiloOutboundConnection(builder =>
            {
                refusals.Track(builder, "outbound silo");
                builder.UseClientTls(Client(identity, refusals));
            });
        });
        return silo;
    }

    private static TlsOptions Server(ClusterTransportIdentity identity, TlsRefusalLog refusals, string listener, string[] roles) => new()
    {
        SslProtocols = SslProtocols.Tls13,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        HandshakeTimeout = HandshakeTimeout,
        // Null until the silo has issued its certificate: the handshake then fails, which is what it should do.
        LocalServerCertificateSelector = (_, _) => identity.Certificate!,
        // Called with the system's verdict, which knows nothing of the cluster CA: the cluster check decides alone.
        RemoteCertificateValidation = (certificate, _, _) => refusals.Judge(listener, identity.Check(certificate, roles)),
    };

    private static TlsOptions Client(ClusterTransportIdentity identity, TlsRefusalLog refusals) => new()
    {
        SslProtocols = SslProtocols.Tls13,
        RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
        // Allow rather than require at configuration time: the certificate is issued after the options are built.
        ClientCertificateMode = RemoteCertificateMode.AllowCertificate,
        HandshakeTimeout = HandshakeTimeout,
        LocalClientCertificateSelector = (_, _, _, _, _) => identity.Certificate!,
        RemoteCertificateValidation = (certificate, _, _) => refusals.Judge("outbound silo", identity.Check(certificate, [ClusterTransportIdentity.AuthRole])),
        OnAuthenticateAsClient = (_, options) => options.TargetHost = "teleport.cluster.local",
    };
}
