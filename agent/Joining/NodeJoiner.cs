using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// Joins the cluster with a token: makes the node's keys, presents the token with the public halves
/// (RegisterUsingToken on an auth server, or <c>POST /v1/webapi/host/credentials</c> on a proxy) and checks that the
/// server it talked to holds the cluster CA the operator pinned (or trusts it on first use, with a warning).
/// </summary>
internal sealed partial class NodeJoiner(ILogger<NodeJoiner> logger)
{
    public const string HostCredentialsPath = "/v1/webapi/host/credentials";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<NodeIdentity> JoinAsync(string hostId, string nodeName, JoinParameters parameters, CancellationToken cancellationToken)
    {
        using var sshKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        using var tlsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return await JoinAsync(hostId, nodeName, parameters, sshKey, tlsKey, cancellationToken);
    }

    /// <summary>
    /// Joins with keys the caller made: a caller that retries after a lost answer presents the same keys (and host
    /// id), which the auth service answers again instead of finding the token used.
    /// </summary>
    public async Task<NodeIdentity> JoinAsync(
        string hostId, string nodeName, JoinParameters parameters, SshPrivateKey sshKey, ECDsa tlsKey, CancellationToken cancellationToken)
    {
        var request = new RegisterUsingTokenRequest
        {
            Token = parameters.Token,
            HostId = hostId,
            NodeName = nodeName,
            Role = parameters.Role,
            SshPublicKey = sshKey.PublicKey.ToAuthorizedKeysLine(),
            TlsPublicKey = ByteString.CopyFrom(tlsKey.ExportSubjectPublicKeyInfo()),
        };
        request.AdditionalPrincipals.AddRange(parameters.AdditionalPrincipals);
        request.DnsNames.AddRange(parameters.AdditionalPrincipals);

        var seen = new ServerCertificateCapture();
        Certificates issued;
        string server;
        if (!string.IsNullOrEmpty(parameters.AuthServer))
        {
            server = parameters.AuthServer;
            issued = await ViaAuthServer(parameters.AuthServer, request, seen, cancellationToken);
        }
        else if (!string.IsNullOrEmpty(parameters.ProxyServer))
        {
            server = parameters.ProxyServer;
            issued = await ViaProxy(parameters.ProxyServer, request, seen, parameters.Insecure, cancellationToken);
        }
        else
        {
            throw new JoinException("no auth_server or proxy_server is configured to join with");
        }

        using var ca = ParseCa(issued.TlsCa);
        CheckTrust(server, ca, seen, parameters.CaPins, viaAuthServer: !string.IsNullOrEmpty(parameters.AuthServer));
        LogJoined(hostId, issued.ClusterName, server);
        return NodeIdentity.FromCertificates(hostId, nodeName, sshKey, tlsKey, issued);
    }

    private static async Task<Certificates> ViaAuthServer(string authServer, RegisterUsingTokenRequest request, ServerCertificateCapture seen, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = seen.Capture },
        };
        using var channel = GrpcChannel.ForAddress(new Uri($"https://{authServer}"), new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = false });
        var client = new AuthService.AuthServiceClient(channel);
        try
        {
            return await client.RegisterUsingTokenAsync(request, deadline: DateTime.UtcNow + Timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.InvalidArgument or StatusCode.AlreadyExists)
        {
            throw new JoinException($"the auth server at {authServer} refused the join token: {ex.Status.Detail}", ex);
        }
        catch (RpcException ex)
        {
            throw new JoinException($"cannot reach the auth server at {authServer}: {ex.Status.Detail}", ex);
        }
    }

    private async Task<Certificates> ViaProxy(string proxyServer, RegisterUsingTokenRequest request, ServerCertificateCapture seen, bool insecure, CancellationToken cancellationToken)
    {
        // The token goes only to a proxy whose web certificate this host trusts: the CA pin is checked on the
        // answer, which is too late to keep a token from whoever answered.
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = seen.Verified(insecure) },
        };
        using var http = new HttpClient(handler) { Timeout = Timeout };
        using var body = new StringContent(JsonFormatter.Default.Format(request));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri($"https://{proxyServer}{HostCredentialsPath}"), body, cancellationToken);
        }
        catch (HttpRequestException ex) when (seen.Errors != SslPolicyErrors.None && !insecure)
        {
            throw new JoinException(
                $"the web certificate of the proxy at {proxyServer} is not trusted by this host ({seen.Errors}); the join token was not sent. " +
                "Give the proxy a certificate from a CA this host trusts (proxy_service.https_keypairs), add its CA to this host's trust store, or start with --insecure for a self-signed proxy", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new JoinException($"cannot reach the proxy at {proxyServer}: {ex.Message}", ex);
        }

        if (insecure && seen.Errors != SslPolicyErrors.None)
        {
            LogInsecure(proxyServer, seen.Errors.ToString());
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new JoinException($"the proxy at {proxyServer} refused the join token: {(int)response.StatusCode} {ProxyError(text)}");
            }

            try
            {
                return JsonParser.Default.Parse<Certificates>(text);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new JoinException($"the proxy at {proxyServer} answered with something that is not host credentials: {ex.Message}", ex);
            }
        }
    }

    private static string ProxyError(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] : line;
    }

    private static X509Certificate2 ParseCa(string pem)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new JoinException("the server answered without a valid cluster CA certificate", ex);
        }
    }

    /// <summary>
    /// The server's TLS certificate must be issued by the CA it handed back (an auth server), and that CA must match a
    /// pin when pins are configured. Without pins the CA is trusted on first use, as Teleport does, with a warning.
    /// </summary>
    private void CheckTrust(string server, X509Certificate2 ca, ServerCertificateCapture seen, IReadOnlyList<string> pins, bool viaAuthServer)
    {
        if (pins.Count > 0 && !CaPin.Matches(ca, pins))
        {
            throw new JoinException($"the cluster CA of {server} ({CaPin.Of(ca)}) does not match teleport.ca_pin; refusing to join");
        }

        if (pins.Count == 0)
        {
            LogTrustOnFirstUse(server, CaPin.Of(ca));
        }

        if (seen.Leaf is { } leaf && IsIssuedBy(leaf, ca))
        {
            return;
        }

        if (viaAuthServer)
        {
            // An auth server's certificate is issued by the cluster CA: anything else is not the cluster we pinned.
            throw new JoinException($"the TLS certificate of {server} is not issued by the cluster CA it returned; refusing to join");
        }

        // A proxy serves its own web certificate; the CA came back in the answer and was checked above.
        LogServerNotSignedByCa(server);
    }

    private static bool IsIssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(leaf);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined cluster {ClusterName} as host {HostId} through {Server}")]
    private partial void LogJoined(string hostId, string clusterName, string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No teleport.ca_pin is set: trusting the cluster CA of {Server} on first use ({Pin}). Set ca_pin to the value `tctl tokens add` prints to verify it.")]
    private partial void LogTrustOnFirstUse(string server, string pin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--insecure: joined through {Server} although its web certificate is not trusted by this host ({Errors})")]
    private partial void LogInsecure(string server, string errors);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The TLS certificate of {Server} is not issued by the cluster CA (a proxy's own web certificate)")]
    private partial void LogServerNotSignedByCa(string server);
}
