using System.Net;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Authentication;

/// <summary>
/// The server side of SSH user authentication (RFC 4252) with the <c>publickey</c> method only: plain keys and
/// OpenSSH certificates, the PK_OK query, and an attempt limit. <c>publickey-hostbound-v00@openssh.com</c> is
/// deliberately not offered (the client only uses it when the server advertises it).
/// </summary>
internal sealed partial class UserAuthService(
    SshTransport transport, SshAuthenticationHandler handler, int maxAttempts, EndPoint? remoteEndPoint, ILogger logger)
{
    private const string ServiceName = "ssh-userauth";
    private const string ConnectionService = "ssh-connection";
    private const string PublicKeyMethod = "publickey";

    private int _failures;
    private int _attempts;

    private enum Outcome
    {
        Success,
        KeyAcceptable,
        Failure,
    }

    public async Task<AuthenticatedUser> RunAsync(CancellationToken cancellationToken)
    {
        await AcceptServiceRequestAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var payload = await transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (payload[0] != SshMessage.UserAuthRequest)
            {
                if (payload[0] is SshMessage.ServiceRequest or >= SshMessage.GlobalRequest)
                {
                    throw SshProtocolException.Protocol($"Message {payload[0]} before user authentication completed.");
                }

                await transport.SendUnimplementedAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var (outcome, user) = await HandleRequestAsync(payload, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.Success)
            {
                await transport.SendAsync([SshMessage.UserAuthSuccess], cancellationToken).ConfigureAwait(false);
                return user!;
            }

            if (outcome == Outcome.Failure)
            {
                await FailAsync(payload, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AcceptServiceRequestAsync(CancellationToken cancellationToken)
    {
        var payload = await transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        if (payload[0] != SshMessage.ServiceRequest)
        {
            throw SshProtocolException.Protocol($"Expected SERVICE_REQUEST, got message {payload[0]}.");
        }

        var service = Parse(payload, "SERVICE_REQUEST", static (ref SshReader r) => r.ReadUtf8String());
        if (service != ServiceName)
        {
            throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, $"Service '{service}' is not available.");
        }

        await transport.SendAsync(new SshWriter(32).WriteByte(SshMessage.ServiceAccept).WriteString(ServiceName).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(byte[] payload, CancellationToken cancellationToken)
    {
        // As sshd: the first "none" probe is free, everything else counts.
        var method = Parse(payload, "USERAUTH_REQUEST", static (ref SshReader r) =>
        {
            r.ReadString();
            r.ReadString();
            return r.ReadUtf8String();
        });
        if (method != "none" || _attempts > 1)
        {
            _failures++;
        }

        if (_failures >= maxAttempts)
        {
            throw new SshProtocolException(SshDisconnectReason.NoMoreAuthMethodsAvailable, $"Too many authentication failures ({_failures}).");
        }

        var failure = new SshWriter(32)
            .WriteByte(SshMessage.UserAuthFailure)
            .WriteNameList([PublicKeyMethod])
            .WriteBoolean(false)
            .ToArray();
        await transport.SendAsync(failure, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Outcome, AuthenticatedUser?)> HandleRequestAsync(byte[] payload, CancellationToken cancellationToken)
    {
        _attempts++;
        var request = Parse(payload, "USERAUTH_REQUEST", static (ref SshReader r) =>
        {
            var user = r.ReadUtf8String();
            var service = r.ReadUtf8String();
            var method = r.ReadUtf8String();
            if (method != PublicKeyMethod)
            {
                return new PublicKeyRequest(user, service, method, false, "", [], null);
            }

            var hasSignature = r.ReadBoolean();
            var algorithm = r.ReadUtf8String();
            var blob = r.ReadString().ToArray();
            var signature = hasSignature ? r.ReadString().ToArray() : null;
            r.EnsureEnd("USERAUTH_REQUEST");
            return new PublicKeyRequest(user, service, method, hasSignature, algorithm, blob, signature);
        });

        if (request.Service != ConnectionService)
        {
            throw new SshProtocolException(SshDisconnectReason.ServiceNotAvailable, $"Service '{request.Service}' is not available.");
        }

        if (request.Method != PublicKeyMethod)
        {
            LogMethodRefused(logger, request.Method, request.User);
            return (Outcome.Failure, null);
        }

        return await HandlePublicKeyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Outcome, AuthenticatedUser?)> HandlePublicKeyAsync(PublicKeyRequest request, CancellationToken cancellationToken)
    {
        if (!TryParseKey(request, out var key, out var certificate, out var signatureAlgorithm, out var problem))
        {
            LogKeyRefused(logger, request.User, request.Algorithm, problem);
            return (Outcome.Failure, null);
        }

        if (request.Signature is { } signature)
        {
            if (!SshSignatureBlob.TryDecode(signature, out var signedWith, out _) || signedWith != signatureAlgorithm ||
                !key.Verify(SignedData(request), signature))
            {
                LogKeyRefused(logger, request.User, request.Algorithm, "the signature does not verify");
                return (Outcome.Failure, null);
            }
        }

        var attempt = new SshAuthenticationRequest(
            request.User, key, certificate, remoteEndPoint, transport.ClientVersion, isSignatureVerified: request.Signature is not null);
        var decision = await DecideAsync(attempt, cancellationToken).ConfigureAwait(false);
        if (!decision.IsAccepted)
        {
            LogAttemptRejected(logger, attempt.ToString(), decision.Reason ?? "rejected");
            return (Outcome.Failure, null);
        }

        if (request.Signature is null)
        {
            var pkOk = new SshWriter(request.Blob.Length + 64)
                .WriteByte(SshMessage.UserAuthPkOk)
                .WriteString(request.Algorithm)
                .WriteString(request.Blob)
                .ToArray();
            await transport.SendAsync(pkOk, cancellationToken).ConfigureAwait(false);
            return (Outcome.KeyAcceptable, null);
        }

        LogAccepted(logger, attempt.ToString(), remoteEndPoint?.ToString() ?? "unknown");
        return (Outcome.Success, new AuthenticatedUser(request.User, key, certificate, decision.State));
    }

    private async Task<SshAuthenticationResult> DecideAsync(SshAuthenticationRequest attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await handler(attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failing callback must refuse the login, not leak an exception into the connection.
            LogCallbackFailed(logger, ex, attempt.ToString());
            return SshAuthenticationResult.Reject("the authentication callback failed");
        }
    }

    /// <summary>RFC 4252 §7: what the client signs.</summary>
    private byte[] SignedData(PublicKeyRequest request) =>
        new SshWriter(512)
            .WriteString(transport.SessionId)
            .WriteByte(SshMessage.UserAuthRequest)
            .WriteString(request.User)
            .WriteString(request.Service)
            .WriteString(PublicKeyMethod)
            .WriteBoolean(true)
            .WriteString(request.Algorithm)
            .WriteString(request.Blob)
            .ToArray();

    private static bool TryParseKey(
        PublicKeyRequest request, out SshPublicKey key, out SshCertificate? certificate, out string signatureAlgorithm, out string problem)
    {
        key = null!;
        certificate = null;
        signatureAlgorithm = "";
        if (PublicKeyAlgorithms.Describe(request.Algorithm) is not { } described)
        {
            problem = "the algorithm is not supported";
            return false;
        }

        signatureAlgorithm = described.SignatureAlgorithm;
        try
        {
            if (described.IsCertificate)
            {
                certificate = SshCertificate.FromBlob(request.Blob);
                key = certificate.PublicKey;
            }
            else
            {
                key = SshPublicKey.FromBlob(request.Blob);
            }
        }
        catch (FormatException ex)
        {
            problem = $"the key does not parse: {ex.Message}";
            return false;
        }

        var blobType = certificate?.Algorithm ?? key.Algorithm;
        problem = blobType == described.BlobType ? "" : $"the key type {blobType} does not match the algorithm";
        return problem.Length == 0;
    }

    private delegate T ReadFunc<T>(ref SshReader reader);

    private static T Parse<T>(byte[] payload, string what, ReadFunc<T> read)
    {
        try
        {
            var reader = new SshReader(payload);
            reader.ReadByte(); // the message number
            return read(ref reader);
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed {what}: {ex.Message}", ex);
        }
    }

    private sealed record PublicKeyRequest(
        string User, string Service, string Method, bool HasSignature, string Algorithm, byte[] Blob, byte[]? Signature);
}
