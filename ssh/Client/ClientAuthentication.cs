using System.Text;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Client;

/// <summary>
/// The client side of user authentication (RFC 4252): <c>none</c> first to learn the methods, then
/// <c>publickey</c> with a plain key or an OpenSSH certificate, asking with the PK_OK query before signing.
/// </summary>
internal sealed partial class ClientAuthentication(SshTransport transport, ClientKeyExchange keyExchange, ILogger logger)
{
    private const string ServiceName = "ssh-userauth";
    private const string ConnectionService = "ssh-connection";
    private const string PublicKeyMethod = "publickey";

    private IReadOnlyList<string> _allowedMethods = [];
    private (string Algorithm, byte[] Blob) _keyAcceptable;

    private enum Answer
    {
        Success,
        Failure,
        KeyAcceptable,
    }

    public async Task RunAsync(string user, SshPrivateKey? key, SshCertificate? certificate, CancellationToken cancellationToken)
    {
        await RequestServiceAsync(cancellationToken).ConfigureAwait(false);

        await transport.SendAsync(Request(user, "none").ToArray(), cancellationToken).ConfigureAwait(false);
        if (await ReadAnswerAsync(cancellationToken).ConfigureAwait(false) == Answer.Success)
        {
            LogAuthenticated(logger, user, "none");
            return;
        }

        if (key is null)
        {
            throw Refused($"The server requires authentication for '{user}' ({Methods}) and no key is configured.");
        }

        if (!_allowedMethods.Contains(PublicKeyMethod))
        {
            throw Refused($"The server does not accept public key authentication for '{user}'; it allows: {Methods}.");
        }

        var (algorithm, signatureAlgorithm, blob) = ChooseAlgorithm(key, certificate);
        var presented = certificate is null ? key.PublicKey.ToString() : certificate.ToString();

        // Ask whether the key would do before signing with it (RFC 4252 §7), as OpenSSH does.
        var query = Request(user, PublicKeyMethod).WriteBoolean(false).WriteString(algorithm).WriteString(blob);
        await transport.SendAsync(query.ToArray(), cancellationToken).ConfigureAwait(false);
        if (await ReadAnswerAsync(cancellationToken).ConfigureAwait(false) is not Answer.KeyAcceptable)
        {
            throw Refused($"The server refused {presented} for '{user}' ({algorithm}); it allows: {Methods}.");
        }

        if (_keyAcceptable.Algorithm != algorithm || !_keyAcceptable.Blob.AsSpan().SequenceEqual(blob))
        {
            throw SshProtocolException.Protocol("USERAUTH_PK_OK names another key than the one asked about.");
        }

        var signed = new SshWriter(1024)
            .WriteString(transport.SessionId)
            .WriteByte(SshMessage.UserAuthRequest)
            .WriteString(user)
            .WriteString(ConnectionService)
            .WriteString(PublicKeyMethod)
            .WriteBoolean(true)
            .WriteString(algorithm)
            .WriteString(blob);
        var signature = key.Sign(signed.WrittenSpan, signatureAlgorithm);
        var request = Request(user, PublicKeyMethod).WriteBoolean(true).WriteString(algorithm).WriteString(blob).WriteString(signature);
        await transport.SendAsync(request.ToArray(), cancellationToken).ConfigureAwait(false);
        if (await ReadAnswerAsync(cancellationToken).ConfigureAwait(false) != Answer.Success)
        {
            throw Refused($"The server refused the signature of {presented} for '{user}' ({algorithm}); it allows: {Methods}.");
        }

        LogAuthenticated(logger, user, $"publickey {algorithm} {presented}");
    }

    private string Methods => _allowedMethods.Count == 0 ? "no methods" : string.Join(",", _allowedMethods);

    /// <summary>The userauth algorithm, the signature algorithm and the blob for a key or certificate.</summary>
    private (string Algorithm, string SignatureAlgorithm, byte[] Blob) ChooseAlgorithm(SshPrivateKey key, SshCertificate? certificate)
    {
        var signatureAlgorithm = key.PublicKey.Algorithm;
        if (signatureAlgorithm == SshAlgorithmNames.Rsa)
        {
            // RFC 8332: SHA-2 as the server's server-sig-algs allows; a server that sent none gets SHA-512.
            var offered = keyExchange.ServerSignatureAlgorithms;
            signatureAlgorithm = offered is null || offered.Contains(SshAlgorithmNames.RsaSha512) ? SshAlgorithmNames.RsaSha512
                : offered.Contains(SshAlgorithmNames.RsaSha256) ? SshAlgorithmNames.RsaSha256
                : throw Refused($"The server accepts no RSA signature algorithm this client has (SHA-1 ssh-rsa is not used); it lists {string.Join(",", offered)}.");
        }

        if (certificate is null)
        {
            return (signatureAlgorithm, signatureAlgorithm, key.PublicKey.Blob);
        }

        return (signatureAlgorithm + CertificateAlgorithms.Suffix, signatureAlgorithm, certificate.Blob);
    }

    private async Task RequestServiceAsync(CancellationToken cancellationToken)
    {
        await transport.SendAsync(new SshWriter(32).WriteByte(SshMessage.ServiceRequest).WriteString(ServiceName).ToArray(), cancellationToken).ConfigureAwait(false);
        var payload = await transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (payload[0] != SshMessage.ServiceAccept)
        {
            throw SshProtocolException.Protocol($"Expected SERVICE_ACCEPT, got message {payload[0]}.");
        }
    }

    private async Task<Answer> ReadAnswerAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var payload = await transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var reader = new SshReader(payload);
                switch (reader.ReadByte())
                {
                    case SshMessage.UserAuthSuccess:
                        return Answer.Success;
                    case SshMessage.UserAuthFailure:
                        _allowedMethods = reader.ReadNameList();
                        return Answer.Failure;
                    case SshMessage.UserAuthPkOk:
                        _keyAcceptable = (reader.ReadUtf8String(), reader.ReadString().ToArray());
                        return Answer.KeyAcceptable;
                    case SshMessage.UserAuthBanner:
                        LogBanner(logger, Encoding.UTF8.GetString(reader.ReadString()));
                        continue;
                    default:
                        throw SshProtocolException.Protocol($"Message {payload[0]} during user authentication.");
                }
            }
            catch (FormatException ex)
            {
                throw SshProtocolException.Protocol($"Malformed authentication message {payload[0]}: {ex.Message}", ex);
            }
        }
    }

    private static SshWriter Request(string user, string method) =>
        new SshWriter(1024).WriteByte(SshMessage.UserAuthRequest).WriteString(user).WriteString(ConnectionService).WriteString(method);

    private SshAuthenticationException Refused(string message) => new(message, _allowedMethods);
}
